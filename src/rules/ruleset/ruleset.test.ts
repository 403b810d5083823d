import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCondition } from '../condition/index.ts';
import type { CompiledRule } from '../loader/index.ts';
import { Ruleset, toAlert, isoTime, clockTime } from './index.ts';

type Ev = { type: string; name: string };

let next = 0;
function rule(name: string, over: Partial<CompiledRule<Ev>> = {}): CompiledRule<Ev> {
  return {
    name,
    desc: '',
    priority: 'Warning',
    source: 'syscall',
    tags: [],
    enabled: true,
    condition: 'x',
    compiled: 'x',
    ast: parseCondition('a.b = 1'),
    eventTypes: undefined,
    predicate: () => true,
    output: 'o',
    formatter: {
      fieldNames: ['proc.name'],
      render: (e: Ev) => `name=${e.name}`,
      fields: (e: Ev) => ({ 'proc.name': e.name }),
    },
    capture: false,
    captureDuration: 0,
    warnEvttypes: true,
    skipIfUnknownFilter: false,
    index: next++,
    pos: { file: 'f', line: 1, column: 1 },
    ...over,
  };
}

const ev: Ev = { type: 'open', name: 'cat' };

test('index by source and event type, definition order, first vs all', () => {
  const a = rule('a', { eventTypes: new Set(['execve']) });
  const b = rule('b', { eventTypes: new Set(['open']) });
  const c = rule('c');
  const d = rule('d', { source: 'k8s_audit' });
  const rs = new Ruleset([a, b, c, d]);
  assert.deepEqual(
    rs.match('syscall', 'open', ev).map((r) => r.name),
    ['b'],
  );
  rs.setRuleMatching('all');
  assert.deepEqual(
    rs.match('syscall', 'open', ev).map((r) => r.name),
    ['b', 'c'],
  );
  assert.deepEqual(
    rs.match('syscall', 'close', ev).map((r) => r.name),
    ['c'],
  );
  assert.deepEqual(
    rs.match('k8s_audit', undefined, ev).map((r) => r.name),
    ['d'],
  );
  assert.deepEqual(rs.match('nosuch', 'open', ev), []);
});

test('enable/disable by name and tag with wildcards; min priority; disabled rules never match', () => {
  const rs = new Ruleset([
    rule('Write below etc', { tags: ['filesystem', 'mitre_persistence'] }),
    rule('Read sensitive file', { tags: ['filesystem'], priority: 'Notice' }),
    rule('Terminal shell', { tags: ['shell'], enabled: false }),
  ]);
  assert.equal(rs.enabledCount(), 2);
  assert.equal(rs.setEnabledByTag('mitre_*', false), 1);
  assert.equal(rs.enabledCount(), 1);
  rs.setEnabledByName('Terminal*', true);
  rs.setMinPriority('Warning');
  assert.deepEqual(
    rs.activeRules().map((r) => r.name),
    ['Terminal shell'],
  );
});

test('a throwing predicate counts as no match', () => {
  const rs = new Ruleset([
    rule('boom', {
      predicate: () => {
        throw new Error('x');
      },
    }),
    rule('ok'),
  ]);
  assert.deepEqual(
    rs.match('syscall', 'open', ev).map((r) => r.name),
    ['ok'],
  );
});

test('toAlert: Falco key order, ns time, text line, sorted tags and fields', () => {
  const r = rule('R', { priority: 'Critical', tags: ['z', 'a'] });
  const t = 1685022245478445995n;
  const alert = toAlert(r, ev, { hostname: 'h', timeNs: t });
  assert.deepEqual(Object.keys(alert), [
    'hostname',
    'output',
    'output_fields',
    'priority',
    'rule',
    'source',
    'tags',
    'time',
  ]);
  assert.equal(alert.time, '2023-05-25T13:44:05.478445995Z');
  assert.equal(alert.output, '13:44:05.478445995: Critical name=cat');
  assert.deepEqual(alert.tags, ['a', 'z']);
  assert.deepEqual(Object.keys(alert.output_fields), ['evt.time', 'proc.name']);
  assert.equal(
    toAlert(r, ev, { hostname: 'h', timeNs: t, iso8601: true }).output,
    '2023-05-25T13:44:05.478445995Z: Critical name=cat',
  );
  assert.equal(isoTime(5n), '1970-01-01T00:00:00.000000005Z');
  assert.equal(clockTime(1_000_000_001n), '00:00:01.000000001');
});
