import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCondition } from '../condition/index.ts';
import { applyExceptions } from './exceptions.ts';
import { ListSubstituter, type ExpandedList } from './lists.ts';
import { resolveMacros, MacroError, type MacroEntry } from './macros.ts';
import { loadRules } from './index.ts';
import { mockTables } from './fixtures/mock-tables.ts';
import type { ExceptionEntry, ExceptionInfo } from '../reader/index.ts';

const list = (name: string, items: string[]): ExpandedList => ({
  name,
  items,
  itemsCompiled: items,
  lists: [],
  used: false,
});

test('list substitution is textual, bounded by delimiters, quotes items with spaces', () => {
  const s = new ListSubstituter([
    list('shells', ['sh', 'bash']),
    list('spaced', ['a b', 'c']),
    list('none', []),
  ]);
  assert.equal(s.apply('proc.name in (shells)'), 'proc.name in ( sh, bash )');
  assert.equal(s.apply('proc.name in (myshells, shells_x)'), 'proc.name in (myshells, shells_x)');
  assert.equal(s.apply('x in (spaced)'), 'x in ( "a b", c )');
  // an empty list takes one adjacent comma with it
  assert.equal(s.apply('x in (a, none)'), 'x in (a  )');
  assert.equal(s.apply('x in (none, a)'), 'x in (   a)');
  assert.equal(s.apply('x in (none)'), 'x in (  )');
});

test('list substitution follows definition order: an item naming a later list is expanded too', () => {
  const s = new ListSubstituter([list('a', ['b', 'z']), list('b', ['y'])]);
  assert.equal(s.apply('x in (a)'), 'x in ( y , z )');
  // an earlier list named by a later one is not expanded again (Falco's single ordered pass)
  const t = new ListSubstituter([list('p', ['q']), list('q', ['p'])]);
  assert.equal(t.apply('x in (q)'), 'x in ( p )');
  const odd = new ListSubstituter([list('test list', ['open'])]);
  assert.equal(odd.apply('evt.type in (test list)'), 'evt.type in ( open )');
});

const scalar = (item: string): ExceptionEntry => ({ isList: false, item, items: [] });
const seq = (...items: ExceptionEntry[]): ExceptionEntry => ({ isList: true, item: '', items });
const pos = { file: 'f', line: 1, column: 1 };

test('exception text: list fields, scalar field, list values, list operators', () => {
  const ex: ExceptionInfo[] = [
    {
      name: 'a',
      fields: seq(scalar('proc.name'), scalar('fd.name')),
      comps: seq(scalar('='), scalar('in')),
      values: [
        seq(scalar('cat'), scalar('my_files')),
        seq(scalar('a b'), seq(scalar('x'), scalar('y z'))),
      ],
      pos,
    },
    {
      name: 'b',
      fields: scalar('proc.pname'),
      comps: scalar('in'),
      values: [scalar('sshd'), scalar('cron d')],
      pos,
    },
    { name: 'c', fields: seq(scalar('proc.name')), values: [], pos },
  ];
  assert.equal(
    applyExceptions('evt.type = open', ex, 'r'),
    '(evt.type = open) and not (( proc.name = cat and  fd.name in (my_files)) or ( proc.name = "a b" and  fd.name in (x, "y z"))) and not (proc.pname in (sshd, "cron d"))',
  );
  assert.throws(
    () =>
      applyExceptions(
        'c',
        [{ name: 'd', fields: seq(scalar('a.b'), scalar('c.d')), values: [seq(scalar('x'))], pos }],
        'r',
      ),
    /Fields and values lists must have equal length/,
  );
});

const macro = (name: string, text: string, index: number): MacroEntry => ({
  name,
  ast: parseCondition(text),
  index,
  resolved: false,
  used: false,
});

test('macros: visibility by definition order, undefined macros, loops end in errors', () => {
  const ms = new Map([
    ['a', macro('a', 'proc.name = x', 0)],
    ['b', macro('b', 'a and fd.name = y', 1)],
  ]);
  assert.throws(
    () => resolveMacros(parseCondition('b'), ms, 1),
    /Undefined macro 'b' used in filter./,
  );
  const r = resolveMacros(parseCondition('not b'), ms, Infinity);
  assert.equal(r.kind, 'not');
  assert.ok(ms.get('a')!.used && ms.get('b')!.used);
  const loop = new Map([
    ['a', macro('a', 'b', 0)],
    ['b', macro('b', 'a', 1)],
  ]);
  assert.throws(
    () => resolveMacros(parseCondition('a'), loop, Infinity),
    (e) => e instanceof MacroError && /reference loop in macro/.test(e.message),
  );
});

const RULE = (name: string, cond: string, extra = '') =>
  `- rule: ${name}\n  desc: d\n  condition: ${cond}\n  output: out %proc.name\n  priority: INFO\n${extra}`;

test('loadRules: nested lists, macros, exceptions, canonical compiled form', () => {
  const text =
    '- list: l1\n  items: [a, b]\n- list: l2\n  items: [l1, c]\n- macro: m\n  condition: proc.name in (l2)\n' +
    RULE(
      'r',
      'evt.type = open and m',
      '  exceptions:\n    - name: e\n      fields: [fd.name]\n      comps: [startswith]\n      values: [[/tmp]]\n',
    );
  const res = loadRules([{ name: 'x.yaml', content: text }], { fieldTables: mockTables() });
  assert.deepEqual(res.errors, []);
  // the rule condition is parenthesised before exceptions, and parentheses are not flattened
  assert.equal(
    res.rules[0]!.compiled,
    '((evt.type = open and proc.name in (a, b, c)) and not fd.name startswith /tmp)',
  );
  assert.deepEqual(res.counts, { rules: 1, macros: 1, lists: 2 });
  assert.deepEqual(res.warnings, []);
});

test('loadRules: errors carry code, file, line and item; each file is compiled before the next is read', () => {
  const res = loadRules(
    [
      { name: 'a.yaml', content: RULE('r', 'evt.type = open and undefined_macro') },
      { name: 'b.yaml', content: '- bad' },
    ],
    { fieldTables: mockTables() },
  );
  assert.equal(res.ok, false);
  assert.equal(res.errors.length, 1);
  const e = res.errors[0]!;
  assert.deepEqual(
    [e.code, e.message, e.file, e.line, e.item],
    ['LOAD_ERR_VALIDATE', "Undefined macro 'undefined_macro' used in filter.", 'a.yaml', 1, 'r'],
  );
  const p = loadRules(
    [{ name: 'p.yaml', content: RULE('r', 'evt.type = open and (proc.name = x') }],
    { fieldTables: mockTables() },
  );
  assert.equal(p.errors[0]!.code, 'LOAD_ERR_COMPILE_CONDITION');
  assert.equal(p.errors[0]!.line, 3);
});

test('loadRules: unused macros and lists warn; files are layered in order', () => {
  const base =
    '- list: unused_l\n  items: [x]\n- macro: unused_m\n  condition: proc.name = x\n' +
    RULE('r', 'evt.type = open');
  const res = loadRules(
    [
      { name: 'a', content: base },
      {
        name: 'b',
        content: '- rule: r\n  condition: and proc.name = y\n  override:\n    condition: append\n',
      },
    ],
    { fieldTables: mockTables() },
  );
  assert.deepEqual(res.warnings.map((w) => w.code).sort(), [
    'LOAD_UNUSED_LIST',
    'LOAD_UNUSED_MACRO',
  ]);
  assert.equal(res.rules[0]!.compiled, '(evt.type = open and proc.name = y)');
});

test('loadRules: plugin requirements must be met by a loaded plugin', () => {
  const req = '- required_plugin_versions:\n  - name: cloudtrail\n    version: 0.10.0\n';
  const res = loadRules([{ name: 'c.yaml', content: req }], { fieldTables: mockTables() });
  assert.equal(res.errors.length, 1);
  assert.equal(
    res.errors[0]!.message,
    'Plugin requirement not satisfied, must load one of: cloudtrail (>= 0.10.0)',
  );
  const ok = loadRules([{ name: 'c.yaml', content: req }], {
    fieldTables: mockTables(),
    plugins: [{ name: 'cloudtrail', version: '0.12.1' }],
  });
  assert.equal(ok.ok, true);
  const old = loadRules([{ name: 'c.yaml', content: req }], {
    fieldTables: mockTables(),
    plugins: [{ name: 'cloudtrail', version: '0.9.0' }],
  });
  assert.match(old.errors[0]!.message, /is not compatible with required plugin version '0.10.0'/);
});

test('loadRules: minimum priority drops less severe rules; %container.info is removed with a warning', () => {
  const text =
    RULE('info', 'evt.type = open') +
    RULE('crit', 'evt.type = open', '')
      .replace('INFO', 'CRITICAL')
      .replace('out %proc.name', 'x %container.info y');
  const res = loadRules([{ name: 'a', content: text }], {
    fieldTables: mockTables(),
    minPriority: 'Warning',
  });
  assert.deepEqual(
    res.rules.map((r) => r.name),
    ['crit'],
  );
  assert.equal(res.rules[0]!.output, 'x  y');
  const broken = RULE('dbg', 'evt.type = open and proc.nme = x').replace('INFO', 'DEBUG');
  const e = loadRules([{ name: 'b', content: broken }], { fieldTables: mockTables() }).errors[0]!;
  // the column of the unknown field inside the condition text (13 = `  condition: `)
  assert.deepEqual([e.code, e.line, e.column], ['LOAD_ERR_COMPILE_CONDITION', 3, 14 + 20]);
  assert.equal(
    loadRules([{ name: 'b', content: broken }], { fieldTables: mockTables(), minPriority: 'Error' })
      .ok,
    false,
  );
  assert.ok(
    res.warnings.some(
      (w) =>
        w.code === 'LOAD_DEPRECATED_ITEM' && w.message.startsWith('%container.info is deprecated'),
    ),
  );
});

const EXC = (fields: string, value: string) =>
  RULE('t', 'evt.type = open') +
  `  exceptions:\n    - name: e\n      fields: [${fields}]\n      comps: [=]\n      values:\n        - [${value}]\n`;
const compiled = (text: string) => {
  const r = loadRules([{ name: 'x.yaml', content: text }], { fieldTables: mockTables() });
  assert.deepEqual(r.errors, []);
  return { c: r.rules[0]!.compiled, w: r.warnings.map((x) => x.message) };
};

test('exception values and fields with transformers (Falco engine cases without data in the vectors)', () => {
  assert.equal(
    compiled(EXC('proc.name', 'toupper(proc.pname)')).c,
    '(evt.type = open and not proc.name = toupper(proc.pname))',
  );
  assert.equal(
    compiled(EXC('proc.name', '"toupper(proc.pname)"')).c,
    '(evt.type = open and not proc.name = toupper(proc.pname))',
  );
  assert.equal(
    compiled(EXC('proc.name', 'toupper( proc.pname)')).c,
    '(evt.type = open and not proc.name = "toupper( proc.pname)")',
  );
  const f = compiled(EXC('"tolower( proc.name)"', 'test'));
  assert.equal(f.c, '(evt.type = open and not tolower(proc.name) = test)');
  assert.deepEqual(f.w, []);
  assert.equal(
    compiled(EXC('proc.name', '"proc.pname"')).c,
    '(evt.type = open and not proc.name = proc.pname)',
  );
});

test('appends across sources fail; an empty source on an append is accepted', () => {
  const k8s =
    '- rule: R\n  desc: d\n  condition: ka.verb = GET\n  output: o\n  priority: INFO\n  source: k8s_audit\n';
  const across = loadRules(
    [
      {
        name: 'a',
        content: k8s + '- rule: R\n  condition: and 1 = 2\n  source: syscall\n  append: true\n',
      },
    ],
    { fieldTables: mockTables() },
  );
  assert.equal(across.errors[0]!.message, 'Rule has been re-defined with a different source');
  const sys =
    RULE('R', 'evt.type = execve') +
    '- rule: R\n  condition: and proc.name = apache\n  source:\n  append: true\n';
  assert.equal(loadRules([{ name: 'a', content: sys }], { fieldTables: mockTables() }).ok, true);
});
