import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VigilError, type Diagnostic } from '../../core/index.ts';
import { readRulesFile, type ReadState } from '../reader/index.ts';
import { Collector } from './index.ts';

function collect(text: string, sources = ['syscall']) {
  const warnings: Diagnostic[] = [];
  const col = new Collector(
    {
      engineVersion: '0.62.0',
      hasSource: (s) => sources.includes(s),
      isValidLhsField: (_s, f) => !f.startsWith('not.'),
    },
    warnings,
  );
  const state: ReadState = { warnings, errors: [], schemaOk: true };
  let err: string | undefined;
  for (const it of readRulesFile('c.yaml', text, state)) {
    try {
      col.add(it);
    } catch (e) {
      err = (e as VigilError).message;
      break;
    }
  }
  return { col, warnings, err: err ?? state.errors[0]?.message };
}

const RULE = (name: string, cond: string, extra = '') =>
  `- rule: ${name}\n  desc: d\n  condition: ${cond}\n  output: o\n  priority: INFO\n${extra}`;

test('redefinition keeps the original position; append concatenates with a space', () => {
  const { col } = collect(
    '- list: a\n  items: [x]\n- list: b\n  items: [y]\n- list: a\n  items: [z]\n- list: b\n  items: [w]\n  override:\n    items: append\n',
  );
  assert.deepEqual(
    [...col.lists].map((l) => [l.name, l.items]),
    [
      ['a', ['z']],
      ['b', ['y', 'w']],
    ],
  );
  const m = collect(
    '- macro: m\n  condition: a.b = 1\n- macro: m\n  condition: or a.b = 2\n  append: true\n',
  );
  assert.equal(m.col.macros.get('m')!.condition, 'a.b = 1 or a.b = 2');
  assert.match(m.warnings[0]!.message, /'append' key is deprecated/);
});

test('append without a previous definition is an error with Falco text', () => {
  assert.match(collect('- list: a\n  items: [x]\n  append: true\n').err!, /^List uses 'append'/);
  assert.match(
    collect('- macro: a\n  condition: x\n  append: true\n').err!,
    /^Macro uses 'append'/,
  );
  assert.match(collect('- rule: r\n  condition: x\n  append: true\n').err!, /^Rule uses 'append'/);
  assert.match(
    collect('- rule: r\n  enabled: false\n').err!,
    /Rule has 'enabled' key but no rule by that name already exists/,
  );
});

test('enabled-only items toggle, with the deprecation warning', () => {
  const r = collect(RULE('r', 'a.b = 1') + '- rule: r\n  enabled: false\n');
  assert.equal(r.col.rules.get('r')!.enabled, false);
  assert.ok(
    r.warnings.some((w) =>
      w.message.startsWith("The standalone 'enabled' key usage is deprecated"),
    ),
  );
});

test('override replace and append on rules', () => {
  const r = collect(
    RULE('r', 'a.b = 1', '  tags: [t1]\n') +
      '- rule: r\n  condition: and a.c = 2\n  tags: [t0]\n  priority: ERROR\n  override:\n    condition: append\n    tags: append\n    priority: replace\n',
  );
  const rule = r.col.rules.get('r')!;
  assert.equal(rule.condition, 'a.b = 1 and a.c = 2');
  assert.deepEqual(rule.tags, ['t0', 't1']);
  assert.equal(rule.priority, 'Error');
});

test('unknown sources warn and the rule is kept aside; different sources on redefinition fail', () => {
  const r = collect(
    RULE('r', 'a.b = 1', '  source: mysource\n') + '- rule: r\n  condition: or x\n  append: true\n',
  );
  assert.equal(r.err, undefined);
  assert.equal(
    r.warnings.filter((w) => w.code === 'LOAD_UNKNOWN_SOURCE')[0]!.message,
    'Unknown source mysource, skipping',
  );
  assert.equal(r.col.rules.get('r')!.unknownSource, true);
  const d = collect(
    RULE('r', 'a.b = 1', '  source: k8s_audit\n') + RULE('r', 'a.b = 1', '  source: syscall\n'),
    ['syscall', 'k8s_audit'],
  );
  assert.equal(d.err, 'Rule has been re-defined with a different source');
});

test('exceptions: comps defaults, operator and field validation, value appends', () => {
  const ex = (body: string) => RULE('r', 'a.b = 1', `  exceptions:\n${body}`);
  const ok = collect(
    ex('    - name: e\n      fields: [proc.name, fd.name]\n      values: [[a, b]]\n') +
      '- rule: r\n  exceptions:\n    - name: e\n      values: [[c, d]]\n  override:\n    exceptions: append\n',
  );
  const e = ok.col.rules.get('r')!.exceptions[0]!;
  assert.deepEqual(
    e.comps!.items.map((c) => c.item),
    ['=', '='],
  );
  assert.equal(e.values.length, 2);
  assert.match(
    collect(ex('    - name: e\n      fields: [proc.name]\n      comps: [frobulate oneof]\n')).err!,
    /'frobulate oneof' is not a supported comparison operator/,
  );
  assert.match(
    collect(ex('    - name: e\n      fields: [not.exist]\n')).err!,
    /'not.exist' is not a supported filter field/,
  );
  assert.match(
    collect(ex('    - name: e\n      fields: proc.name\n      comps: "="\n')).err!,
    /When fields is a single value, comps must be one of/,
  );
  assert.match(
    collect(ex('    - name: e\n      fields: [a.b, c.d]\n      comps: [=]\n')).err!,
    /Fields and comps lists must have equal length/,
  );
  assert.match(
    collect(
      ex('    - name: e\n      fields: [a.b]\n') +
        '- rule: r\n  exceptions:\n    - name: e\n      fields: [a.b]\n      values: [[x]]\n  append: true\n',
    ).err!,
    /Can not append exception fields to existing exception, only values/,
  );
});

test('engine and plugin version requirements', () => {
  assert.equal(
    collect('- required_engine_version: 0.57.0\n- required_engine_version: 10\n').col
      .requiredEngineVersion,
    '0.57.0',
  );
  assert.equal(
    collect('- required_engine_version: 9999999\n').err,
    'Rules require engine version 0.9999999.0, but engine version is 0.62.0',
  );
  assert.equal(
    collect('- required_engine_version: 1.0.0\n').err,
    'Rules require engine version 1.0.0, but engine version is 0.62.0',
  );
  assert.match(
    collect('- required_plugin_versions:\n  - name: a\n    version: x\n').err!,
    /Invalid required version 'x' for plugin 'a'/,
  );
  const p = collect(
    '- required_plugin_versions:\n  - name: a\n    version: 1.0.0\n    alternatives:\n      - name: b\n        version: 2.0.0\n',
  );
  assert.deepEqual(
    p.col.pluginRequirements[0]!.alternatives.map((a) => a.name),
    ['a', 'b'],
  );
});
