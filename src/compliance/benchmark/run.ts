/**
 * Runs benchmark checks the way kube-bench does: skip -> INFO, manual -> WARN, audits via the
 * runner, tests evaluated on audit / audit_config / audit_env output, PASS or FAIL/WARN by
 * `scored`. Vigil's own definitions add "not applicable" results with a reason.
 * @module
 */
import type { Diagnostic } from '../../core/index.ts';
import { compareOp, findEnv, findFlag } from './compare.ts';
import { substitute } from './config.ts';
import { evalJsonPath } from './jsonpath.ts';
import type { Check, Controls, TestItem } from './model.ts';
import type { AuditRunner } from './runner.ts';
import { parse } from 'yaml';

/** kube-bench's four states. */
export type State = 'PASS' | 'FAIL' | 'WARN' | 'INFO';

/** One check result, in kube-bench's JSON shape (plus Vigil's `not_applicable`). */
export interface CheckResult {
  test_number: string;
  test_desc: string;
  audit: string;
  AuditEnv?: string;
  AuditConfig: string;
  type: string;
  remediation: string;
  test_info: string[];
  status: State;
  actual_value: string;
  scored: boolean;
  expected_result: string;
  reason?: string;
  not_applicable?: boolean;
}

/** A group's results with counts. */
export interface GroupResult {
  section: string;
  type?: string;
  pass: number;
  fail: number;
  warn: number;
  info: number;
  desc: string;
  results: CheckResult[];
}

/** A controls file's results with totals. */
export interface ControlsResult {
  id: string;
  version: string;
  detected_version?: string;
  text: string;
  node_type: string;
  tests: GroupResult[];
  total_pass: number;
  total_fail: number;
  total_warn: number;
  total_info: number;
}

/** Decides whether a Vigil check applies on this node; returns the reason when it does not. */
export type Applicability = (condition: string) => Promise<string | undefined>;

/** What a run needs besides the definitions. */
export interface RunContext {
  runner: AuditRunner;
  vars: Map<string, string>;
  applies?: Applicability;
  /** Check ids to skip (reported INFO, like kube-bench --skip). */
  skip?: Set<string>;
  diagnostics?: Diagnostic[];
}

interface ItemOutcome {
  ok: boolean;
  found: boolean;
  expected: string;
  actual: string;
  error?: string;
}

type Source = 'audit' | 'config' | 'env';

function findValue(
  t: TestItem,
  s: string,
  src: Source,
): { match: boolean; value: string; error?: string } {
  if (src === 'audit') return findFlag(s, t.flag ?? '');
  if (src === 'env') return findEnv(s, t.env ?? '');
  if (!t.path) return { match: false, value: '' };
  let data: unknown;
  try {
    data = parse(s, { maxAliasCount: 100 });
  } catch (e) {
    return {
      match: false,
      value: '',
      error: `failed to load YAML or JSON from input "${s}": ${(e as Error).message.split('\n')[0]}`,
    };
  }
  try {
    const v = evalJsonPath(t.path, data);
    return { match: v !== '', value: v };
  } catch (e) {
    return {
      match: false,
      value: '',
      error: `unable to parse path expression "${t.path}": ${(e as Error).message}`,
    };
  }
}

function itemName(t: TestItem, src: Source): string {
  return src === 'config' ? (t.path ?? '') : src === 'env' ? (t.env ?? '') : (t.flag ?? '');
}

function evaluateLine(t: TestItem, s: string, src: Source): ItemOutcome {
  const f = findValue(t, s, src);
  if (f.error) return { ok: false, found: false, expected: '', actual: s, error: f.error };
  const name = itemName(t, src);
  if (t.set) {
    if (f.match && t.compare && t.compare.op !== '') {
      const c = compareOp(t.compare.op, f.value, t.compare.value, name);
      return { ok: c.ok, found: true, expected: c.expected, actual: s };
    }
    return { ok: f.match, found: f.match, expected: `'${name}' is present`, actual: s };
  }
  return { ok: !f.match, found: f.match, expected: `'${name}' is not present`, actual: s };
}

function evaluateItem(t: TestItem, out: string, src: Source, multiple: boolean): ItemOutcome {
  const s = out.replace(/[ \n]+$/, '');
  const lines = multiple ? s.split('\n') : [s];
  let r: ItemOutcome = { ok: false, found: false, expected: '', actual: s };
  for (const line of lines) {
    r = evaluateLine(t, line, src);
    if (!r.ok) break;
  }
  return { ...r, actual: s };
}

function fileNotFound(r: { code: number; output: string }): boolean {
  return r.code === 127 || r.output.includes('No such file or directory');
}

function base(c: Check, ctx: RunContext): CheckResult {
  return {
    test_number: c.id,
    test_desc: c.text,
    audit: substitute(c.audit, ctx.vars),
    ...(c.auditEnv ? { AuditEnv: substitute(c.auditEnv, ctx.vars) } : {}),
    AuditConfig: substitute(c.auditConfig, ctx.vars),
    type: c.type,
    remediation: c.remediation,
    test_info: [c.remediation],
    status: 'INFO',
    actual_value: '',
    scored: c.scored,
    expected_result: '',
  };
}

/** Runs one check. */
export async function runCheck(c: Check, ctx: RunContext, groupSkip = false): Promise<CheckResult> {
  const r = base(c, ctx);
  const failState: State = c.scored ? 'FAIL' : 'WARN';
  if (c.type === 'skip' || groupSkip || ctx.skip?.has(c.id))
    return { ...r, status: 'INFO', reason: 'Test marked as skip' };
  if (c.appliesTo && ctx.applies) {
    const why = await ctx.applies(c.appliesTo);
    if (why !== undefined)
      return { ...r, status: 'INFO', not_applicable: true, reason: `Not applicable: ${why}` };
  }
  if (c.type === 'manual') return { ...r, status: 'WARN', reason: 'Test marked as a manual test' };
  if (!c.tests || c.tests.items.length === 0)
    return { ...r, status: failState, reason: 'No tests defined' };

  const run = async (script: string) =>
    script.trim() ? ctx.runner.run(script) : { output: '', code: 0 };
  let envOut = '';
  if (r.AuditEnv) {
    const e = await run(r.AuditEnv);
    if (e.code !== 0)
      return {
        ...r,
        status: failState,
        reason: `failed to run: "${r.AuditEnv}", output: "${e.output}", exit status ${e.code}`,
      };
    envOut = e.output;
  }
  const a = await run(r.audit);
  if (a.code !== 0)
    return {
      ...r,
      status: failState,
      actual_value: a.output,
      reason: `failed to run: "${r.audit}", output: "${a.output}", exit status ${a.code}`,
    };
  const cfg = await run(r.AuditConfig);
  // a missing config file is fine when the command line already said something
  if (cfg.code !== 0 && !(fileNotFound(cfg) && (envOut !== '' || a.output !== ''))) {
    return {
      ...r,
      status: failState,
      actual_value: a.output,
      reason: `failed to run: "${r.AuditConfig}", output: "${cfg.output}", exit status ${cfg.code}`,
    };
  }

  const outcomes: ItemOutcome[] = [];
  for (const t of c.tests.items) {
    let o = evaluateItem(t, a.output, 'audit', c.useMultipleValues);
    if (!o.found && r.AuditConfig !== '') {
      o = evaluateItem(t, cfg.code === 0 ? cfg.output : '', 'config', c.useMultipleValues);
      if (!o.found && t.env) o = evaluateItem(t, envOut, 'env', c.useMultipleValues);
    }
    if (!o.found && t.env) o = evaluateItem(t, envOut, 'env', c.useMultipleValues);
    outcomes.push(o);
  }
  const op = c.tests.binOp;
  if (op !== '' && op !== 'and' && op !== 'or')
    return { ...r, status: failState, reason: `unknown binary operator for tests ${op}` };
  const ok = op === 'or' ? outcomes.some((o) => o.ok) : outcomes.every((o) => o.ok);
  const errored = outcomes.find((o) => o.error);
  return {
    ...r,
    status: ok ? 'PASS' : failState,
    actual_value: outcomes[0]?.actual ?? a.output,
    expected_result: outcomes.map((o) => o.expected).join(op === 'or' ? ' OR ' : ' AND '),
    ...(errored && !ok ? { reason: errored.error } : {}),
  };
}

/** Runs every check of a controls file. */
export async function runControls(
  controls: Controls,
  ctx: RunContext,
  detectedVersion?: string,
): Promise<ControlsResult> {
  const tests: GroupResult[] = [];
  const totals = { pass: 0, fail: 0, warn: 0, info: 0 };
  // audits are independent read-only commands: run a few at once, keep definition order
  const all = controls.groups.flatMap((g) => g.checks.map((c) => ({ g, c })));
  const done: CheckResult[] = new Array(all.length);
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const i = next++;
      done[i] = await runCheck(all[i]!.c, ctx, all[i]!.g.type === 'skip');
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, all.length) }, worker));
  let at = 0;
  for (const g of controls.groups) {
    const gr: GroupResult = {
      section: g.id,
      ...(g.type ? { type: g.type } : {}),
      pass: 0,
      fail: 0,
      warn: 0,
      info: 0,
      desc: g.text,
      results: [],
    };
    for (let j = 0; j < g.checks.length; j++) {
      const res = done[at++]!;
      gr.results.push(res);
      const k = res.status.toLowerCase() as 'pass' | 'fail' | 'warn' | 'info';
      gr[k]++;
      totals[k]++;
    }
    tests.push(gr);
  }
  return {
    id: controls.id,
    version: controls.version,
    ...(detectedVersion ? { detected_version: detectedVersion } : {}),
    text: controls.text,
    node_type: controls.type,
    tests,
    total_pass: totals.pass,
    total_fail: totals.fail,
    total_warn: totals.warn,
    total_info: totals.info,
  };
}
