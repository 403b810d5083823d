/**
 * Benchmark: load + compile of the official stable + incubating + sandbox rules together,
 * against parsing the same YAML alone (the `yaml` package, as the reader calls it), in the
 * same run. Prints both medians and the ratio (target <= 3x).
 * Run: node --import tsx bench/rules-load.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformancePath } from '../src/core/index.ts';
import { loadRules, type FieldTable } from '../src/rules/index.ts';
import { parseYaml } from '../src/rules/reader/index.ts';
import { conformanceFieldTables } from '../test/conformance/support/field-tables.ts';

const dir = conformancePath('falco', 'rules');
if (!dir) {
  console.log('conformance data falco/rules not found: nothing to measure');
  process.exit(0);
}
const names = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'];
const files = names.map((n) => ({ name: n, content: readFileSync(join(dir, n), 'utf8') }));
const { tables, real } = await conformanceFieldTables();
const fieldTables: Map<string, FieldTable> = tables;

function timeIt(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
let sink = 0;
const parseOnly = () => {
  for (const f of files) {
    const { docs } = parseYaml(f.content);
    sink += Array.isArray(docs) ? docs.length : 0;
  }
};
const loadAll = () => {
  const r = loadRules(files, { fieldTables });
  if (!r.ok) throw new Error(`load failed: ${JSON.stringify(r.errors)}`);
  sink += r.rules.length;
};

for (let i = 0; i < 5; i++) {
  parseOnly();
  loadAll();
}
const p: number[] = [];
const l: number[] = [];
for (let i = 0; i < 15; i++) {
  p.push(timeIt(parseOnly));
  l.push(timeIt(loadAll));
}
const mp = median(p);
const ml = median(l);
const bytes = files.reduce((n, f) => n + f.content.length, 0);
console.log(
  `files: ${names.join(' + ')} (${(bytes / 1024).toFixed(0)} KiB), field tables: ${real ? 'src/sources' : 'permissive stand-in'}`,
);
console.log(`yaml parse alone: ${mp.toFixed(1)} ms (median of 15)`);
console.log(`load + compile:   ${ml.toFixed(1)} ms (median of 15)`);
console.log(`ratio: ${(ml / mp).toFixed(2)}x (target <= 3x)${sink < 0 ? '' : ''}`);
