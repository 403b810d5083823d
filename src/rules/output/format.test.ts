import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileOutput } from './index.ts';
import { testTable } from '../compiler/test-table.ts';

const table = testTable({
  'proc.name': 'CHARBUF', 'proc.cmdline': 'CHARBUF', 'proc.pid': 'INT64', 'fd.sip': 'IPADDR', 'evt.num': 'UINT64',
  'proc.aname': ['CHARBUF', 'arg'], 'proc.args': ['CHARBUF', 'list'], 'container.id': 'CHARBUF', 'evt.is_io': 'BOOL',
});
const ev = { 'proc.name': 'bash', 'proc.cmdline': 'bash -i', 'proc.pid': 42, 'fd.sip': 0x0a000001, 'evt.num': 7n, 'proc.aname[2]': 'init', 'proc.args': ['-i', 'x'], 'evt.is_io': false };

test('renders fields greedily, with literal text around them', () => {
  const o = compileOutput('Shell (user=%proc.name pid=%proc.pid:%proc.cmdline.) ip=%fd.sip', table);
  assert.deepEqual(o.diagnostics, []);
  assert.equal(o.render(ev), 'Shell (user=bash pid=42:bash -i.) ip=10.0.0.1');
  assert.deepEqual(o.fieldNames, ['proc.name', 'proc.pid', 'proc.cmdline', 'fd.sip']);
});

test('missing values print <NA>; output_fields are typed, null when missing', () => {
  const o = compileOutput('%container.id %proc.pid %evt.num %evt.is_io %proc.name', table);
  assert.equal(o.render(ev), '<NA> 42 7 false bash');
  assert.deepEqual(o.fields(ev), { 'container.id': null, 'proc.pid': 42, 'evt.num': 7, 'evt.is_io': false, 'proc.name': 'bash' });
});

test('%field[arg], %(field), %Nfield, lists and transformers', () => {
  const o = compileOutput('a=%proc.aname[2] b=%(proc.name)x c=[%6proc.name] d=[%2proc.cmdline] e=%proc.args f=%toupper(proc.name)', table);
  assert.deepEqual(o.diagnostics, []);
  assert.equal(o.render(ev), 'a=init b=bashx c=[bash  ] d=[ba] e=(-i,x) f=BASH');
  // Transformer tokens are not output_fields.
  assert.deepEqual(Object.keys(o.fields(ev)), ['proc.aname[2]', 'proc.name', 'proc.cmdline', 'proc.args']);
});

test('a leading * is accepted; %container.info is removed with a deprecation warning', () => {
  const o = compileOutput('*x %container.info y', table);
  assert.equal(o.render(ev), 'x  y');
  assert.equal(o.diagnostics[0]?.code, 'LOAD_DEPRECATED_ITEM');
});

test('unknown fields and bad syntax are LOAD_ERR_COMPILE_OUTPUT errors', () => {
  const o = compileOutput('x %proc.nme y', table);
  assert.equal(o.diagnostics[0]?.code, 'LOAD_ERR_COMPILE_OUTPUT');
  assert.match(o.diagnostics[0]!.message, /unknown filter: .*nonexistent field proc\.nme/);
  assert.equal(compileOutput('x %', table).diagnostics[0]?.code, 'LOAD_ERR_COMPILE_OUTPUT');
  assert.equal(compileOutput('x %12', table).diagnostics[0]?.code, 'LOAD_ERR_COMPILE_OUTPUT');
  assert.equal(compileOutput('x %%', table).diagnostics.length > 0, true);
  // Large inputs stay fast: many unknown long tokens.
  const big = compileOutput(`%${'a.b'.repeat(50_000)} `.repeat(20), table);
  assert.ok(big.diagnostics.length >= 20);
});
