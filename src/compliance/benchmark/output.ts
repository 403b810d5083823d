/**
 * Benchmark report rendering: kube-bench's text layout, and the mapping onto the generic
 * report for SARIF, JUnit and HTML.
 * @module
 */
import { toPrometheus, type GenericReport, type ReportCase } from '../report/index.ts';
import type { BenchReport } from './benchmark.ts';

/** kube-bench-style text: `[PASS] 1.1.1 text`, remediations for FAIL/WARN, then totals. */
export function benchText(r: BenchReport, opts: { remediations?: boolean } = {}): string {
  const out: string[] = [];
  for (const c of r.Controls) {
    out.push(`[INFO] ${c.id} ${c.text}`);
    for (const g of c.tests) {
      out.push(`[INFO] ${g.section} ${g.desc}`);
      for (const x of g.results)
        out.push(
          `[${x.not_applicable ? 'N/A ' : x.status}] ${x.test_number} ${x.test_desc}${x.not_applicable ? ` (${x.reason?.replace(/^Not applicable: /, '')})` : ''}`,
        );
    }
    if (opts.remediations !== false) {
      const rem = c.tests
        .flatMap((g) => g.results)
        .filter((x) => x.status === 'FAIL' || (x.status === 'WARN' && x.type !== 'manual'));
      if (rem.length) {
        out.push('', '== Remediations ==');
        for (const x of rem) out.push(`${x.test_number} ${x.remediation.trim()}`, '');
      }
    }
    out.push(
      '== Summary ==',
      `${c.total_pass} checks PASS`,
      `${c.total_fail} checks FAIL`,
      `${c.total_warn} checks WARN`,
      `${c.total_info} checks INFO`,
      '',
    );
  }
  const t = r.Totals;
  out.push(
    '== Summary total ==',
    `${t.total_pass} checks PASS`,
    `${t.total_fail} checks FAIL`,
    `${t.total_warn} checks WARN`,
    `${t.total_info} checks INFO${t.total_na ? ` (${t.total_na} not applicable)` : ''}`,
  );
  return out.join('\n') + '\n';
}

/** One generic case per check; FAIL is high severity for scored checks, medium otherwise. */
export function benchToGeneric(r: BenchReport, title: string, subject?: string): GenericReport {
  const cases: ReportCase[] = [];
  for (const c of r.Controls) {
    for (const g of c.tests) {
      for (const x of g.results) {
        const status = x.not_applicable
          ? 'na'
          : x.status === 'PASS'
            ? 'pass'
            : x.status === 'FAIL'
              ? 'fail'
              : x.status === 'WARN'
                ? 'warn'
                : 'info';
        cases.push({
          id: x.test_number,
          name: x.test_desc,
          group: `${g.section} ${g.desc}`,
          status,
          severity: x.scored ? 'high' : 'medium',
          message: x.reason ?? (x.expected_result ? `expected ${x.expected_result}` : x.status),
          remediation: x.remediation.trim(),
          subject,
        });
      }
    }
  }
  const t = r.Totals;
  const judged = t.total_pass + t.total_fail;
  return {
    tool: 'vigil bench',
    title,
    summary: {
      pass: t.total_pass,
      fail: t.total_fail,
      warn: t.total_warn,
      info: t.total_info,
      'not applicable': t.total_na ?? 0,
      score: judged ? Math.round((t.total_pass / judged) * 10000) / 100 : null,
    },
    cases,
  };
}

/** Benchmark totals as Prometheus gauges (`vigil_cis_checks{benchmark,state}`). */
export function benchToPrometheus(r: BenchReport, benchmark: string): string {
  const t = r.Totals;
  const states: [string, number][] = [
    ['pass', t.total_pass],
    ['fail', t.total_fail],
    ['warn', t.total_warn],
    ['info', t.total_info - (t.total_na ?? 0)],
    ['not_applicable', t.total_na ?? 0],
  ];
  return toPrometheus(
    states.map(([state, value]) => ({
      name: 'vigil_cis_checks',
      labels: { benchmark, state },
      value,
    })),
    { vigil_cis_checks: 'CIS benchmark checks on this node, by result.' },
  );
}
