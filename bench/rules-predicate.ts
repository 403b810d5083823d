/**
 * Predicate speed: the official "Terminal shell in container" rule (falco_rules.yaml, macros
 * and lists expanded here) compiled by Vigil, against an equivalent hand-written JS predicate,
 * on the same prepared events in the same run. Prints evaluations per second and the ratio.
 * Usage: npx tsx bench/rules-predicate.ts [rules-file]
 */
import { readFileSync, existsSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { conformancePath } from '../src/core/index.ts';
import { parseCondition, formatCondition } from '../src/rules/condition/index.ts';
import type { Expr } from '../src/rules/condition/index.ts';
import { compilePredicate } from '../src/rules/compiler/index.ts';
import type { FieldDef, FieldTable, FieldType } from '../src/rules/fields.ts';

type Ev = Record<string, unknown>;
const RULE = 'Terminal shell in container';

const file = process.argv[2] ?? conformancePath('falco', 'rules', 'falco_rules.yaml');
if (!file || !existsSync(file)) {
  console.log('falco_rules.yaml not found (pass a path or set VIGIL_CONFORMANCE_DIR): nothing to measure');
  process.exit(0);
}
const items = parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown>[];
const lists = new Map<string, string[]>();
const macros = new Map<string, string>();
let ruleCond = '';
for (const it of items) {
  if (typeof it.list === 'string') lists.set(it.list, (it.items as unknown[]).map(String));
  if (typeof it.macro === 'string') macros.set(it.macro, String(it.condition));
  if (it.rule === RULE) ruleCond = String(it.condition);
}

// Minimal expansion for the bench (the loader does the real thing): lists textually, macros on the AST.
function expandLists(cond: string): string {
  return cond.replace(/[^ \t\n\r(),=]+/g, (w) => (lists.has(w) ? lists.get(w)!.map((x) => (x.includes(' ') ? `"${x}"` : x)).join(', ') : w));
}
function resolve(e: Expr, depth = 0): Expr {
  if (depth > 100) throw new Error('macro recursion');
  switch (e.kind) {
    case 'identifier': {
      const m = macros.get(e.name);
      if (m === undefined) throw new Error(`undefined macro ${e.name}`);
      return resolve(parseCondition(expandLists(m)), depth + 1);
    }
    case 'and': case 'or': return { ...e, children: e.children.map((c) => resolve(c, depth)) };
    case 'not': return { ...e, child: resolve(e.child, depth) };
    default: return e;
  }
}
const expr = resolve(parseCondition(expandLists(ruleCond)));
console.log(`rule: ${RULE}\ncondition: ${formatCondition(expr)}`);

// Extractors as a source writes them: one small function per field (here over prepared values).
const extractors: Record<string, [FieldType, (e: Ev) => unknown]> = {
  'evt.type': ['CHARBUF', (e) => e['evt.type']],
  'container.id': ['CHARBUF', (e) => e['container.id']],
  'proc.name': ['CHARBUF', (e) => e['proc.name']],
  'proc.tty': ['UINT32', (e) => e['proc.tty']],
  'proc.pname': ['CHARBUF', (e) => e['proc.pname']],
  'evt.num': ['UINT64', (e) => e['evt.num']],
};
const fields: FieldDef<Ev>[] = Object.entries(extractors).map(([name, [type, extract]]) => ({
  name, type, desc: name, arg: 'none', extract: extract as FieldDef<Ev>['extract'],
}));
const byName = new Map(fields.map((f) => [f.name, f]));
const table: FieldTable<Ev> = { source: 'syscall', fields, lookup: (n) => (byName.has(n) ? { def: byName.get(n)! } : undefined) };
const compiled = compilePredicate(expr, table);

// The same logic written by hand, with the same <NA> rule (a missing value fails a comparison).
const SHELLS = new Set(lists.get('shell_binaries'));
const PARENTS = new Set(['runc:[0:PARENT]', 'runc:[1:CHILD]', 'runc', 'docker-runc', 'exe', 'docker-runc-cur', 'containerd-shim', 'systemd', 'crio', 'conmon']);
const handWritten = (e: Ev): boolean => {
  const t = e['evt.type'];
  if (t !== 'execve' && t !== 'execveat') return false;
  const c = e['container.id'];
  if (c === undefined || c === 'host') return false;
  const n = e['proc.name'] as string | undefined;
  if (n === undefined || !SHELLS.has(n)) return false;
  const tty = e['proc.tty'];
  if (tty === undefined || tty === 0) return false;
  const p = e['proc.pname'] as string | undefined;
  if (p !== undefined && !PARENTS.has(p)) return false;
  const num = e['evt.num'];
  return !(num !== undefined && num === 0);
};

const names = ['bash', 'sh', 'nginx', 'python3', 'zsh', 'cat', 'sshd', 'node'];
const events: Ev[] = [];
for (let i = 0; i < 4096; i++) {
  events.push({
    'evt.type': ['execve', 'openat', 'read', 'execveat', 'connect'][i % 5],
    'container.id': i % 7 === 0 ? 'host' : `c${i % 13}`,
    'proc.name': names[i % names.length],
    'proc.tty': i % 3 === 0 ? 0 : 34816,
    ...(i % 11 === 0 ? {} : { 'proc.pname': ['runc', 'bash', 'containerd-shim', 'sshd'][i % 4] }),
    'evt.num': i,
  });
}
for (const e of events) if (compiled(e) !== handWritten(e)) throw new Error(`disagreement on ${JSON.stringify(e)}`);
const matches = events.filter(handWritten).length;

function measure(pred: (e: Ev) => boolean): number {
  let sink = 0;
  const rounds = 150;
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (let i = 0; i < events.length; i++) if (pred(events[i]!)) sink++;
  const ns = Number(process.hrtime.bigint() - t0);
  if (sink < 0) console.log(sink);
  return (rounds * events.length) / (ns / 1e9);
}
measure(compiled);
measure(handWritten); // warm-up both
// Alternate the two so load from other processes hits both alike; report the median pair.
const pairs: { hand: number; vigil: number }[] = [];
for (let k = 0; k < 9; k++) pairs.push({ hand: measure(handWritten), vigil: measure(compiled) });
pairs.sort((a, b) => a.vigil / a.hand - b.vigil / b.hand);
const mid = pairs[Math.floor(pairs.length / 2)]!;
console.log(`events: ${events.length} (${matches} match)`);
console.log(`hand-written: ${(mid.hand / 1e6).toFixed(1)} M evals/s`);
console.log(`vigil:        ${(mid.vigil / 1e6).toFixed(1)} M evals/s`);
console.log(`ratio vigil/hand-written (median of ${pairs.length} alternating runs): ${(mid.vigil / mid.hand).toFixed(2)}x (target >= 0.5x)`);
