/**
 * JUnit XML rendering: one testsuite per group, one testcase per case; failures carry the
 * remediation, and warn/info/accepted/not-applicable cases are skipped (as kube-bench does).
 * @module
 */
import type { GenericReport } from './types.ts';

/** Escapes text for XML attributes and content. */
export function xmlEscape(s: string): string {
  return s
    .replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
    )
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** Renders a report as a JUnit XML document. */
export function toJUnit(r: GenericReport): string {
  const groups = new Map<string, typeof r.cases>();
  for (const c of r.cases) (groups.get(c.group) ?? groups.set(c.group, []).get(c.group)!).push(c);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const fails = r.cases.filter((c) => c.status === 'fail').length;
  const skips = r.cases.filter((c) => c.status !== 'fail' && c.status !== 'pass').length;
  out.push(
    `<testsuites name="${xmlEscape(r.title)}" tests="${r.cases.length}" failures="${fails}" skipped="${skips}">`,
  );
  for (const [g, cases] of groups) {
    const f = cases.filter((c) => c.status === 'fail').length;
    const s = cases.filter((c) => c.status !== 'fail' && c.status !== 'pass').length;
    out.push(
      `  <testsuite name="${xmlEscape(g)}" tests="${cases.length}" failures="${f}" skipped="${s}">`,
    );
    for (const c of cases) {
      const name = xmlEscape(`${c.id} ${c.name}${c.subject ? ` [${c.subject}]` : ''}`);
      out.push(`    <testcase name="${name}" classname="${xmlEscape(g)}">`);
      if (c.status === 'fail')
        out.push(
          `      <failure message="${xmlEscape(c.remediation ?? c.message)}">${xmlEscape(c.message)}</failure>`,
        );
      else if (c.status !== 'pass')
        out.push(`      <skipped message="${xmlEscape(`${c.status}: ${c.message}`)}"/>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
