/**
 * Falco's rule-loader unit tests as data (falco_rule_loader_vectors.dev.json): every test's
 * rules are loaded and each step checked; `other` steps (C++ assertions on describe-rule
 * JSON) are interpreted where they map to our load result, else counted not applicable.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { needConformance } from './helpers.ts';
import { conformanceFieldTables } from './support/field-tables.ts';
import { loadRules, Ruleset, type LoadResult } from '../../src/rules/index.ts';

interface Step {
  op: string;
  rules_var?: string;
  file?: string;
  expect_success?: boolean;
  expect?: unknown;
  message_contains?: string;
  rule?: string;
  raw?: string;
  assert?: string;
}
interface Vector {
  test: string;
  rules: Record<string, string>;
  steps: Step[];
}

const { path, skip } = needConformance(
  'falco',
  'testvectors',
  'falco_rule_loader_vectors.dev.json',
);
const tally = new Map<string, { pass: number; total: number; na: number }>();
const count = (op: string, r: 'pass' | 'fail' | 'na') => {
  const t = tally.get(op) ?? { pass: 0, total: 0, na: 0 };
  if (r === 'na') t.na++;
  else {
    t.total++;
    if (r === 'pass') t.pass++;
  }
  tally.set(op, t);
};

/** The YAML line(s) a diagnostic points at (our stand-in for Falco's context snippet). */
function snippet(content: string, line: number | undefined): string {
  if (!line) return '';
  return content.split('\n')[line - 1] ?? '';
}

/** Interprets one C++ assertion on describe/load-result JSON; undefined = not applicable. */
function interpretOther(raw: string, res: LoadResult, content: string): boolean | undefined {
  const str = /"((?:[^"\\]|\\.)*)"\s*$/.exec(raw)?.[1]?.replace(/\\"/g, '"');
  let m: RegExpExecArray | null;
  if (raw.includes('m_load_result->successful()')) return res.ok;
  if ((m = /rule_description\["rules"\]\[(\d+)\]\["info"\]\["(\w+)"\]/.exec(raw))) {
    const r = res.rules[Number(m[1])];
    if (!r) return false;
    const key = m[2]!;
    if (key === 'condition') return r.condition === str;
    if (key === 'output') return r.output === str;
    if (key === 'description') return r.desc === str;
    if (key === 'capture') return String(r.capture) === /,\s*(true|false)\s*$/.exec(raw)?.[1];
    if (key === 'capture_duration')
      return r.captureDuration === Number(/,\s*(\d+)u?\s*$/.exec(raw)?.[1]);
    return undefined;
  }
  if ((m = /rule_description\["(rules|macros|lists)"\]\.size\(\),\s*(\d+)/.exec(raw))) {
    const n = Number(m[2]);
    return (
      (m[1] === 'rules'
        ? res.rules.length
        : m[1] === 'macros'
          ? res.macros.length
          : res.lists.length) === n
    );
  }
  if (
    (m =
      /rule_description\["lists"\]\[(\d+)\]\["details"\]\["(lists|items_compiled)"\](\.size\(\),\s*(\d+)|\[(\d+)\])/.exec(
        raw,
      ))
  ) {
    const l = res.lists[Number(m[1])];
    if (!l) return false;
    const arr = m[2] === 'lists' ? l.lists : l.itemsCompiled;
    return m[4] !== undefined ? arr.length === Number(m[4]) : arr[Number(m[5])] === str;
  }
  if (
    (m =
      /\["errors"\]\[(\d+)\]\["context"\]\["snippet"\]\)\s*\.find\("([^"]*)"\)\s*!=\s*std::string::npos/.exec(
        raw,
      ))
  ) {
    return snippet(content, res.errors[Number(m[1])]?.line).includes(m[2]!);
  }
  if ((m = /^snippet\.find\("([^"]*)"\),\s*std::string::npos$/.exec(raw))) {
    // every warning's snippet must lack the text
    return res.warnings.every((w) => !snippet(content, w.line).includes(m![1]!));
  }
  return undefined;
}

const vectors: Vector[] = skip
  ? []
  : (JSON.parse(readFileSync(path, 'utf8')) as { tests: Vector[] }).tests;
const { tables, real } = await conformanceFieldTables();

for (const v of vectors) {
  const hasRules = Object.values(v.rules).some((s) => s && s.trim());
  test(v.test, { skip: hasRules ? false : 'rules content not present in the vector file' }, () => {
    let res: LoadResult | undefined;
    let content = '';
    const failures: string[] = [];
    for (const s of v.steps) {
      let r: boolean | undefined;
      if (s.op === 'load') {
        content = v.rules[s.rules_var!] ?? '';
        res = loadRules([{ name: s.file ?? 'rules.yaml', content }], { fieldTables: tables });
        r = res.ok === s.expect_success;
      } else if (!res) r = undefined;
      else if (s.op === 'schema_validation') r = res.schemaOk === (s.expect === 'validation_ok');
      else if (s.op === 'has_error')
        r = res.errors.some((d) => d.message.includes(s.message_contains!)) === s.expect;
      else if (s.op === 'has_warning')
        r = res.warnings.some((d) => d.message.includes(s.message_contains!)) === s.expect;
      else if (s.op === 'has_warnings') r = res.warnings.length > 0 === s.expect;
      else if (s.op === 'compiled_condition')
        r = res.rules.find((x) => x.name === s.rule)?.compiled === s.expect;
      else if (s.op === 'num_rules_for_ruleset')
        r = new Ruleset(res.rules).enabledCount() === s.expect;
      else if (s.op === 'other') r = interpretOther(s.raw ?? '', res, content);
      count(s.op, r === undefined ? 'na' : r ? 'pass' : 'fail');
      if (r === undefined && s.op === 'other') console.log(`# n/a ${v.test}: ${s.raw}`);
      if (r === false) {
        failures.push(
          `${s.op} ${JSON.stringify(s)} -> errors ${JSON.stringify(res?.errors.map((e) => e.message))} warnings ${JSON.stringify(res?.warnings.map((e) => e.message))}${s.op === 'compiled_condition' ? ' compiled=' + res?.rules.find((x) => x.name === s.rule)?.compiled : ''}`,
        );
      }
    }
    assert.deepEqual(failures, [], failures.join('\n'));
  });
}

test('rule-loader vectors: summary', { skip }, () => {
  const noRules = vectors.filter((v) => !Object.values(v.rules).some((s) => s && s.trim())).length;
  console.log(`# field tables: ${real ? 'src/sources fieldTables()' : 'permissive stand-in'}`);
  console.log(`# tests: ${vectors.length} (${noRules} without rules content in the data: skipped)`);
  for (const [op, t] of [...tally].sort())
    console.log(`# ${op}: ${t.pass}/${t.total}${t.na ? ` (+${t.na} not applicable)` : ''}`);
  assert.ok(vectors.length > 0);
});
