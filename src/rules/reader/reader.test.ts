import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRulesFile, type ReadState, type ReadItem } from './index.ts';

function read(text: string) {
  const state: ReadState = { warnings: [], errors: [], schemaOk: true };
  const items: ReadItem[] = [...readRulesFile('r.yaml', text, state)];
  return { items, ...state };
}

test('item kind follows Falco key order, not key order in the item', () => {
  const r = read('- condition: a.b = 1\n  macro: m\n- items: [x]\n  list: l\n');
  assert.deepEqual(
    r.items.map((i) => i.kind),
    ['macro', 'list'],
  );
  // `list` wins over `rule` when both are present
  const r2 = read('- rule: r\n  list: l\n  items: []\n');
  assert.equal(r2.items[0]!.kind, 'list');
});

test('positions of items and errors are file:line:col', () => {
  const r = read('- list: a\n  items: [x]\n\n- macro: m\n  condition: [1]\n');
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0]!.code, 'LOAD_ERR_YAML_VALIDATE');
  assert.equal(r.errors[0]!.message, 'Value is not a scalar value');
  assert.deepEqual([r.errors[0]!.file, r.errors[0]!.line, r.errors[0]!.column], ['r.yaml', 5, 14]);
  assert.deepEqual(r.items[0]!.pos, { file: 'r.yaml', line: 1, column: 3 });
});

test('stops at the first error in a file', () => {
  const r = read('- macro: a\n  condition: x.y = 1\n- rule: r\n- macro: b\n  condition: x.y = 2\n');
  assert.equal(r.items.length, 1);
  assert.match(r.errors[0]!.message, /Item has no mapping for key 'enabled'/);
});

test('unknown keys and unknown items warn', () => {
  const r = read('- list: l\n  items: [a]\n  typo: 1\n- foo: bar\n');
  assert.deepEqual(
    r.warnings.map((w) => w.code),
    ['LOAD_UNKNOWN_KEY', 'LOAD_UNKNOWN_ITEM'],
  );
  assert.equal(r.warnings[0]!.message, "Unknown key 'typo'. The key will be ignored.");
});

test('non-sequence documents, scalars and non-map items are errors', () => {
  assert.equal(read('foo: bar\n').errors[0]!.message, 'Rules content is not yaml array of objects');
  assert.equal(read('just text\n').errors[0]!.message, 'Rules content is not yaml');
  assert.match(
    read('- 42\n').errors[0]!.message,
    /Each element should be a yaml associative array/,
  );
  assert.equal(read('').errors.length, 0);
  assert.equal(read('---\n---\n- list: a\n  items: []\n').items.length, 1);
});

test('YAML syntax errors, truncation and duplicate keys are LOAD_ERR_YAML_PARSE with a line', () => {
  for (const text of [
    '- rule: x\n  desc: [unclosed\n',
    '- list: a\n  items: [a, b\n',
    '- list: a\n  list: b\n  items: []\n',
    '- macro: "abc\n',
  ]) {
    const r = read(text);
    assert.equal(r.errors[0]?.code, 'LOAD_ERR_YAML_PARSE', text);
    assert.ok(r.errors[0]!.line! >= 1);
  }
});

test('alias bombs end in a clean error, not a hang', () => {
  const anchors = Array.from({ length: 40 }, (_, i) => `&b${i + 1} [*b${i}, *b${i}]`).join(', ');
  const text =
    '- list: l0\n  items: &b0 [a, a]\n' +
    `- holder: [${anchors}]\n` +
    '- rule: r\n  desc: d\n  condition: a.b = 1\n  output: o\n  priority: INFO\n' +
    '  exceptions:\n    - name: e\n      fields: [a.b]\n      values: *b40\n';
  const r = read(text);
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0]!.code, 'LOAD_ERR_YAML_PARSE');
  assert.match(r.errors[0]!.message, /alias/);
});

test('large files: a 2 MB file reads; a 10 MB file is refused cleanly and fast', () => {
  const one =
    '- list: l{i}\n  items: [aaaaaaaaaa, bbbbbbbbbb, cccccccccc, dddddddddd, eeeeeeeeee]\n';
  const parts: string[] = [];
  let len = 0;
  for (let i = 0; len < 2_000_000; i++) {
    parts.push(one.replace('{i}', String(i)));
    len += parts[parts.length - 1]!.length;
  }
  const r = read(parts.join(''));
  assert.equal(r.errors.length, 0);
  assert.ok(r.items.length > 20_000);
  const big = read('#'.repeat(10 * 1024 * 1024));
  assert.equal(big.errors[0]!.code, 'LOAD_ERR_FILE_READ');
  assert.equal(big.items.length, 0);
});

test('required_engine_version: integer N is 0.N.0, x.y.z kept, others rejected', () => {
  assert.deepEqual(read('- required_engine_version: 15\n').items[0], {
    kind: 'engine-version',
    version: '0.15.0',
    pos: { file: 'r.yaml', line: 1, column: 3 },
  });
  assert.equal(
    (read('- required_engine_version: 0.26.0\n').items[0] as { version: string }).version,
    '0.26.0',
  );
  assert.match(
    read('- required_engine_version: seven\n').errors[0]!.message,
    /Unable to parse engine version 'seven' as a semver string/,
  );
});

test('rules: priorities case-insensitive, info accepted, bools as yaml-cpp reads them', () => {
  const r = read(
    '- rule: r\n  desc: d\n  condition: a.b = 1\n  output: "  o  "\n  priority: info\n  enabled: no\n  tags: [b, a, b]\n',
  );
  const it = r.items[0] as Extract<ReadItem, { kind: 'rule' }>;
  assert.equal(it.priority, 'Informational');
  assert.equal(it.enabled, false);
  assert.equal(it.output, 'o');
  assert.deepEqual(it.tags, ['a', 'b']);
  assert.equal(
    read('- rule: r\n  desc: d\n  condition: c\n  output: o\n  priority: LOUD\n').errors[0]!
      .message,
    'Invalid priority',
  );
});

test('override checks: appendable/replaceable keys and keys without an override entry', () => {
  const base = '- rule: r\n  condition: and x.y = 1\n';
  assert.match(
    read(base + '  priority: INFO\n  override:\n    priority: append\n').errors[0]!.message,
    /Key 'priority' cannot be appended to, use 'replace' instead/,
  );
  assert.match(
    read(base + '  override:\n    condition: append\n    output: append\n').errors[0]!.message,
    /An append override for 'output' was specified but 'output' is not defined/,
  );
  assert.match(
    read(base + '  desc: x\n  override:\n    condition: append\n').errors[0]!.message,
    /Unexpected key 'desc': no corresponding entry under 'override' is defined./,
  );
  assert.match(
    read(base + '  append: true\n  override:\n    condition: append\n').errors[0]!.message,
    /cannot be used together/,
  );
  assert.match(
    read(base + '  override:\n    condition: merge\n').errors[0]!.message,
    /Invalid override operation for key 'condition': 'merge'/,
  );
  const ok = read(base + '  desc: more\n  override:\n    condition: append\n    desc: replace\n');
  assert.deepEqual(
    ok.items.map((i) => i.kind),
    ['rule-append', 'rule-replace'],
  );
});

test('exceptions: duplicate names warn; values must be a sequence', () => {
  const ex =
    '- rule: r\n  desc: d\n  condition: c.d = 1\n  output: o\n  priority: INFO\n  exceptions:\n';
  const r = read(ex + '    - name: e\n      fields: [a.b]\n    - name: e\n      fields: [a.b]\n');
  assert.equal(r.warnings[0]!.code, 'LOAD_EXCEPTION_NAME_NOT_UNIQUE');
  assert.equal(
    read(ex + '    - name: e\n      fields: a.b\n      values: x\n').errors[0]!.message,
    'Rule exception values must be a sequence',
  );
});

test('schema status: unknown keys and wrong types fail validation but not the load', () => {
  assert.equal(read('- list: a\n  items: [x]\n').schemaOk, true);
  const r = read('- list: a\n  items: [x]\n  override_written_wrong: 1\n');
  assert.equal(r.schemaOk, false);
  assert.equal(r.errors.length, 0);
});
