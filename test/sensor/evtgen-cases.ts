/**
 * Event-generator scenario files (falco evtgen YAML) expanded into concrete cases: templates
 * `%{ item.X }` filled from each matrix or vector case.
 * @module
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** One process of a scenario's chain. */
export interface EgProcess { name: string; args?: string; user?: string; exe?: string }
/** One concrete case of a scenario test. */
export interface EgCase {
  file: string;
  test: string;
  label: string;
  rule: string;
  runIf?: { arch?: { op: string; val: string } } | null;
  container: unknown;
  processes: EgProcess[];
  resources: Record<string, unknown>[];
  steps: Record<string, unknown>[];
  before?: string;
  outputFields: Record<string, string>;
}

type Item = Record<string, unknown>;
type CaseList = { strategy: string; values: Record<string, unknown> }[];

/** A scenario test as written (before templates are filled). */
interface RawTest {
  name: string;
  rule: string;
  runIf?: EgCase['runIf'];
  context?: { container?: unknown; processes?: EgProcess[] };
  resources?: Record<string, unknown>[];
  steps?: Record<string, unknown>[];
  before?: string;
  expectedOutcome?: { outputFields?: Record<string, unknown> };
  cases?: CaseList;
}

function fill(v: unknown, item: Item): unknown {
  if (typeof v === 'string') {
    const whole = /^%\{\s*item\.(\w+)\s*\}$/.exec(v);
    if (whole) return item[whole[1]!];
    return v.replace(/%\{\s*item\.(\w+)\s*\}/g, (_, k: string) => String(item[k] ?? ''));
  }
  if (Array.isArray(v)) return v.map((x) => fill(x, item));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, item)]));
  return v;
}

function items(cases: CaseList | undefined): Item[] {
  if (!cases?.length) return [{}];
  const out: Item[] = [];
  for (const c of cases) {
    if (c.strategy === 'vector') { out.push(c.values); continue; }
    let acc: Item[] = [{}];
    for (const [k, vals] of Object.entries(c.values)) {
      const list = Array.isArray(vals) ? vals : [vals];
      acc = acc.flatMap((a) => list.map((v) => ({ ...a, [k]: v })));
    }
    out.push(...acc);
  }
  return out;
}

/** Reads one scenario file into its concrete cases. */
export function loadScenario(path: string): EgCase[] {
  // bare `%{ ... }` values are not valid YAML scalars: quote them before parsing
  const text = readFileSync(path, 'utf8').replace(/:\s+(%\{[^}]*\})\s*$/gm, ': "$1"');
  const doc = parse(text) as { tests: RawTest[] };
  const out: EgCase[] = [];
  for (const t of doc.tests) {
    for (const item of items(t.cases)) {
      const f = fill({ ...t, cases: undefined }, item) as RawTest;
      const label = Object.entries(item).filter(([k]) => k !== 'runIf').map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
      out.push({
        file: path, test: f.name, label: `${f.name}${label ? ` [${label}]` : ''}`, rule: f.rule, runIf: f.runIf,
        container: f.context?.container ?? null, processes: f.context?.processes ?? [], resources: f.resources ?? [],
        steps: f.steps ?? [], before: f.before, outputFields: Object.fromEntries(Object.entries(f.expectedOutcome?.outputFields ?? {}).map(([k, v]) => [k, String(v)])),
      });
    }
  }
  return out;
}
