import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCondition } from '../condition/index.ts';
import { applyExceptions } from './exceptions.ts';
import { ListSubstituter, type ExpandedList } from './lists.ts';
import { resolveMacros, MacroError, type MacroEntry } from './macros.ts';
import { loadRules } from './index.ts';
import { mockTables } from './fixtures/mock-tables.ts';
import type { ExceptionEntry, ExceptionInfo } from '../reader/index.ts';

const list = (name: string, items: string[]): ExpandedList => ({ name, items, itemsCompiled: items, lists: [], used: false });

test('list substitution is textual, bounded by delimiters, quotes items with spaces', () => {
  const s = new ListSubstituter([list('shells', ['sh', 'bash']), list('spaced', ['a b', 'c']), list('none', [])]);
  assert.equal(s.apply('proc.name in (shells)'), 'proc.name in ( sh, bash )');
  assert.equal(s.apply('proc.name in (myshells, shells_x)'), 'proc.name in (myshells, shells_x)');
  assert.equal(s.apply('x in (spaced)'), 'x in ( "a b", c )');
  // an empty list takes one adjacent comma with it
  assert.equal(s.apply('x in (a, none)'), 'x in (a  )');
  assert.equal(s.apply('x in (none, a)'), 'x in (   a)');
  assert.equal(s.apply('x in (none)'), 'x in (  )');
});

const scalar = (item: string): ExceptionEntry => ({ isList: false, item, items: [] });
const seq = (...items: ExceptionEntry[]): ExceptionEntry => ({ isList: true, item: '', items });
const pos = { file: 'f', line: 1, column: 1 };

test('exception text: list fields, scalar field, list values, list operators', () => {
  const ex: ExceptionInfo[] = [
    { name: 'a', fields: seq(scalar('proc.name'), scalar('fd.name')), comps: seq(scalar('='), scalar('in')), values: [seq(scalar('cat'), scalar('my_files')), seq(scalar('a b'), seq(scalar('x'), scalar('y z')))], pos },
    { name: 'b', fields: scalar('proc.pname'), comps: scalar('in'), values: [scalar('sshd'), scalar('cron d')], pos },
    { name: 'c', fields: seq(scalar('proc.name')), values: [], pos },
  ];
  assert.equal(
    applyExceptions('evt.type = open', ex, 'r'),
    '(evt.type = open) and not (( proc.name = cat and  fd.name in (my_files)) or ( proc.name = "a b" and  fd.name in (x, "y z"))) and not (proc.pname in (sshd, "cron d"))',
  );
  assert.throws(() => applyExceptions('c', [{ name: 'd', fields: seq(scalar('a.b'), scalar('c.d')), values: [seq(scalar('x'))], pos }], 'r'), /Fields and values lists must have equal length/);
});

const macro = (name: string, text: string, index: number): MacroEntry => ({ name, ast: parseCondition(text), index, resolved: false, used: false });

test('macros: visibility by definition order, undefined macros, loops end in errors', () => {
  const ms = new Map([['a', macro('a', 'proc.name = x', 0)], ['b', macro('b', 'a and fd.name = y', 1)]]);
  assert.throws(() => resolveMacros(parseCondition('b'), ms, 1), /Undefined macro 'b' used in filter./);
  const r = resolveMacros(parseCondition('not b'), ms, Infinity);
  assert.equal(r.kind, 'not');
  assert.ok(ms.get('a')!.used && ms.get('b')!.used);
  const loop = new Map([['a', macro('a', 'b', 0)], ['b', macro('b', 'a', 1)]]);
  assert.throws(() => resolveMacros(parseCondition('a'), loop, Infinity), (e) => e instanceof MacroError && /reference loop in macro/.test(e.message));
});

const RULE = (name: string, cond: string, extra = '') => `- rule: ${name}\n  desc: d\n  condition: ${cond}\n  output: out %proc.name\n  priority: INFO\n${extra}`;

test('loadRules: nested lists, macros, exceptions, canonical compiled form', () => {
  const text =
    '- list: l1\n  items: [a, b]\n- list: l2\n  items: [l1, c]\n- macro: m\n  condition: proc.name in (l2)\n' +
    RULE('r', 'evt.type = open and m', '  exceptions:\n    - name: e\n      fields: [fd.name]\n      comps: [startswith]\n      values: [[/tmp]]\n');
  const res = loadRules([{ name: 'x.yaml', content: text }], { fieldTables: mockTables() });
  assert.deepEqual(res.errors, []);
  // the rule condition is parenthesised before exceptions, and parentheses are not flattened
  assert.equal(res.rules[0]!.compiled, '((evt.type = open and proc.name in (a, b, c)) and not fd.name startswith /tmp)');
  assert.deepEqual(res.counts, { rules: 1, macros: 1, lists: 2 });
  assert.deepEqual(res.warnings, []);
});

test('loadRules: errors carry code, file, line and item; each file is compiled before the next is read', () => {
  const res = loadRules([{ name: 'a.yaml', content: RULE('r', 'evt.type = open and undefined_macro') }, { name: 'b.yaml', content: '- bad' }], { fieldTables: mockTables() });
  assert.equal(res.ok, false);
  assert.equal(res.errors.length, 1);
  const e = res.errors[0]!;
  assert.deepEqual([e.code, e.message, e.file, e.line, e.item], ['LOAD_ERR_VALIDATE', "Undefined macro 'undefined_macro' used in filter.", 'a.yaml', 1, 'r']);
  const p = loadRules([{ name: 'p.yaml', content: RULE('r', 'evt.type = open and (proc.name = x') }], { fieldTables: mockTables() });
  assert.equal(p.errors[0]!.code, 'LOAD_ERR_COMPILE_CONDITION');
  assert.equal(p.errors[0]!.line, 3);
});

test('loadRules: unused macros and lists warn; files are layered in order', () => {
  const base = '- list: unused_l\n  items: [x]\n- macro: unused_m\n  condition: proc.name = x\n' + RULE('r', 'evt.type = open');
  const res = loadRules([{ name: 'a', content: base }, { name: 'b', content: '- rule: r\n  condition: and proc.name = y\n  override:\n    condition: append\n' }], { fieldTables: mockTables() });
  assert.deepEqual(res.warnings.map((w) => w.code).sort(), ['LOAD_UNUSED_LIST', 'LOAD_UNUSED_MACRO']);
  assert.equal(res.rules[0]!.compiled, '(evt.type = open and proc.name = y)');
});

test('loadRules: plugin requirements must be met by a loaded plugin', () => {
  const req = '- required_plugin_versions:\n  - name: cloudtrail\n    version: 0.10.0\n';
  const res = loadRules([{ name: 'c.yaml', content: req }], { fieldTables: mockTables() });
  assert.equal(res.errors.length, 1);
  assert.equal(res.errors[0]!.message, 'Plugin requirement not satisfied, must load one of: cloudtrail (>= 0.10.0)');
  const ok = loadRules([{ name: 'c.yaml', content: req }], { fieldTables: mockTables(), plugins: [{ name: 'cloudtrail', version: '0.12.1' }] });
  assert.equal(ok.ok, true);
  const old = loadRules([{ name: 'c.yaml', content: req }], { fieldTables: mockTables(), plugins: [{ name: 'cloudtrail', version: '0.9.0' }] });
  assert.match(old.errors[0]!.message, /is not compatible with required plugin version '0.10.0'/);
});

test('loadRules: minimum priority drops less severe rules; %container.info is removed with a warning', () => {
  const text = RULE('info', 'evt.type = open') + RULE('crit', 'evt.type = open', '').replace('INFO', 'CRITICAL').replace('out %proc.name', 'x %container.info y');
  const res = loadRules([{ name: 'a', content: text }], { fieldTables: mockTables(), minPriority: 'Warning' });
  assert.deepEqual(res.rules.map((r) => r.name), ['crit']);
  assert.equal(res.rules[0]!.output, 'x  y');
  assert.ok(res.warnings.some((w) => w.code === 'LOAD_DEPRECATED_ITEM' && w.message.startsWith('%container.info is deprecated')));
});
