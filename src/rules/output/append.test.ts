/**
 * append_output: validation of the configuration value, and each form (extra_output,
 * extra_fields, suggested_output) with each match (source, tags, rule) through loadRules/toAlert.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldTable } from '../fields.ts';
import { testTable, type TestEvent } from '../compiler/test-table.ts';
import { loadRules } from '../loader/index.ts';
import { toAlert } from '../ruleset/index.ts';
import { parseAppendOutput, suggestedFormat } from './append.ts';

/** Two sources; `a` flags two fields as suggested output, as the container plugin does for syscall. */
function tables(): Map<string, FieldTable> {
  const a = testTable({ 'proc.name': 'CHARBUF', 'proc.pid': 'INT64', 'container.id': 'CHARBUF', 'k8s.ns.name': 'CHARBUF', 'evt.cpu': 'INT16' });
  for (const f of a.fields) if (f.name === 'container.id' || f.name === 'k8s.ns.name') f.suggestedOutput = true;
  const b = testTable({ 'ka.verb': 'CHARBUF', 'ka.user.name': 'CHARBUF' });
  return new Map<string, FieldTable>([['syscall', { ...a, source: 'syscall' } as FieldTable], ['k8s_audit', { ...b, source: 'k8s_audit' } as FieldTable]]);
}

const RULES = `
- rule: shell
  desc: d
  condition: proc.name = bash
  output: shell %proc.name
  priority: WARNING
  tags: [container, shell, mitre_execution]
- rule: pid one
  desc: d
  condition: proc.pid = 1
  output: init pid=%proc.pid
  priority: NOTICE
  tags: [host]
- rule: audit get
  desc: d
  condition: ka.verb = get
  output: get by %ka.user.name
  priority: INFO
  source: k8s_audit
  tags: [k8s]
`;

function load(appendOutput: unknown) {
  const r = loadRules([{ name: 'r.yaml', content: RULES }], { fieldTables: tables(), appendOutput });
  assert.deepEqual(r.errors, []);
  return new Map(r.rules.map((x) => [x.name, x]));
}

const SYS: TestEvent = { 'proc.name': 'bash', 'proc.pid': 1, 'container.id': 'abc123', 'evt.cpu': 3 };
const KA: TestEvent = { 'ka.verb': 'get', 'ka.user.name': 'alice' };

function alert(rules: ReturnType<typeof load>, name: string, ev: TestEvent) {
  return toAlert(rules.get(name)!, ev, { hostname: 'h', timeNs: 1_000_000_000n });
}

test('no append_output (or []) leaves outputs as written', () => {
  for (const v of [undefined, null, []]) {
    const rules = load(v);
    assert.equal(rules.get('shell')!.output, 'shell %proc.name');
    assert.equal(alert(rules, 'shell', SYS).output, '00:00:01.000000000: Warning shell bash');
    assert.deepEqual(Object.keys(alert(rules, 'shell', SYS).output_fields), ['evt.time', 'proc.name']);
  }
});

test('suggested_output appends name_x=%name.x per suggested field of the rule source, into text and output_fields', () => {
  const rules = load([{ suggested_output: true }]);
  const a = alert(rules, 'shell', SYS);
  assert.equal(a.output, '00:00:01.000000000: Warning shell bash container_id=abc123 k8s_ns_name=<NA>');
  assert.deepEqual(a.output_fields, { 'container.id': 'abc123', 'evt.time': 1_000_000_000, 'k8s.ns.name': null, 'proc.name': 'bash' });
  // the k8s_audit table suggests nothing: its output is unchanged
  assert.equal(rules.get('audit get')!.output, 'get by %ka.user.name');
  assert.equal(suggestedFormat(tables().get('syscall')!), ' container_id=%container.id k8s_ns_name=%k8s.ns.name');
});

test('extra_output is appended after a space, in entry order, to matching rules only', () => {
  const rules = load([
    { match: { source: 'syscall' }, extra_output: 'on CPU %evt.cpu' },
    { match: { tags: ['shell', 'container'] }, extra_output: '(tagged)' },
    { match: { rule: 'pid one' }, extra_output: 'rule-only' },
    { match: { tags: ['shell', 'nosuchtag'] }, extra_output: 'never' },
    { match: { source: 'k8s_audit' }, extra_output: 'verb=%ka.verb' },
  ]);
  assert.equal(rules.get('shell')!.output, 'shell %proc.name on CPU %evt.cpu (tagged)');
  assert.equal(rules.get('pid one')!.output, 'init pid=%proc.pid on CPU %evt.cpu rule-only');
  assert.equal(rules.get('audit get')!.output, 'get by %ka.user.name verb=%ka.verb');
  const a = alert(rules, 'shell', SYS);
  assert.equal(a.output, '00:00:01.000000000: Warning shell bash on CPU 3 (tagged)');
  assert.equal(a.output_fields['evt.cpu'], 3);
  assert.equal(alert(rules, 'audit get', KA).output_fields['ka.verb'], 'get');
});

test('extra_fields: named formats give text, bare fields typed values; never in the text', () => {
  const rules = load([
    { match: { source: 'syscall' }, extra_fields: [{ where: 'cpu %evt.cpu of %proc.name' }, 'proc.pid', { missing: '%k8s.ns.name' }] },
    { match: { rule: 'pid one' }, extra_fields: ['evt.cpu'] },
  ]);
  const a = alert(rules, 'shell', SYS);
  assert.equal(a.output, '00:00:01.000000000: Warning shell bash');
  assert.deepEqual(a.output_fields, { 'evt.time': 1_000_000_000, missing: '<NA>', 'proc.name': 'bash', 'proc.pid': 1, where: 'cpu 3 of bash' });
  assert.equal(alert(rules, 'pid one', SYS).output_fields['evt.cpu'], 3);
  assert.equal(alert(rules, 'shell', SYS).output_fields['evt.cpu'], undefined, 'the rule match keeps evt.cpu to pid one');
  assert.equal(alert(rules, 'audit get', KA).output_fields.where, undefined, 'source match');
});

test('the brief names format/fields are accepted for extra_output/extra_fields', () => {
  const rules = load([{ match: { rule: 'shell' }, format: 'pid=%proc.pid', fields: ['evt.cpu'] }]);
  const a = alert(rules, 'shell', SYS);
  assert.match(a.output, / shell bash pid=1$/);
  assert.equal(a.output_fields['evt.cpu'], 3);
});

test('an appended field unknown to a rule source is LOAD_ERR_COMPILE_OUTPUT at that rule, like Falco', () => {
  const r = loadRules([{ name: 'r.yaml', content: RULES }], { fieldTables: tables(), appendOutput: [{ extra_output: '%evt.cpu' }] });
  assert.equal(r.ok, false);
  assert.equal(r.errors[0]!.code, 'LOAD_ERR_COMPILE_OUTPUT');
  assert.equal(r.errors[0]!.item, 'audit get');
  const f = loadRules([{ name: 'r.yaml', content: RULES }], { fieldTables: tables(), appendOutput: [{ match: { source: 'k8s_audit' }, extra_fields: [{ x: '%proc.nope' }] }] });
  assert.equal(f.errors[0]!.code, 'LOAD_ERR_COMPILE_OUTPUT');
  assert.equal(f.errors[0]!.line, 17, 'at the rule output line');
});

test('bad append_output values are CONFIG_* errors with their JSON path; the load fails', () => {
  const cases: [unknown, string, string][] = [
    [{ suggested_output: true }, '$.append_output', 'CONFIG_INVALID_TYPE'],
    [['x'], '$.append_output[0]', 'CONFIG_INVALID_TYPE'],
    [[{ match: { tags: 'shell' } }], '$.append_output[0].match.tags', 'CONFIG_INVALID_TYPE'],
    [[{ match: { source: ['a'] } }], '$.append_output[0].match.source', 'CONFIG_INVALID_TYPE'],
    [[{}, { extra_output: { a: 1 } }], '$.append_output[1].extra_output', 'CONFIG_INVALID_TYPE'],
    [[{ extra_fields: 'proc.name' }], '$.append_output[0].extra_fields', 'CONFIG_INVALID_TYPE'],
    [[{ extra_fields: [{ a: 'x', b: 'y' }] }], '$.append_output[0].extra_fields[0]', 'CONFIG_INVALID_VALUE'],
    [[{ extra_fields: ['proc.name', { 'proc.name': '%proc.pid' }] }], '$.append_output[0].extra_fields[1]', 'CONFIG_INVALID_VALUE'],
    [[{ suggested_output: 'yes' }], '$.append_output[0].suggested_output', 'CONFIG_INVALID_TYPE'],
    [[{ format: 'a', extra_output: 'b' }], '$.append_output[0].format', 'CONFIG_INVALID_VALUE'],
  ];
  for (const [value, path, code] of cases) {
    const p = parseAppendOutput(value);
    assert.equal(p.errors[0]?.jsonPath, path, JSON.stringify(value));
    assert.equal(p.errors[0]?.code, code, JSON.stringify(value));
    const r = loadRules([{ name: 'r.yaml', content: RULES }], { fieldTables: tables(), appendOutput: value });
    assert.equal(r.ok, false);
    assert.equal(r.rules.length, 0);
  }
  const w = parseAppendOutput([{ suggested_output: true, colour: 'red', match: { rules: 'x' } }]);
  assert.deepEqual(w.warnings.map((d) => d.jsonPath), ['$.append_output[0].colour', '$.append_output[0].match.rules']);
  assert.equal(w.entries.length, 1);
});
