import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLines, decodeText, parseRfc3339Ns } from './reader.ts';
import { findJsonSyntaxError } from './json-errors.ts';

const event = (id: string, extra = '') => `{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"${id}","stage":"ResponseComplete","stageTimestamp":"2024-01-02T03:04:05.123456Z"${extra}}`;

test('RFC 3339 times to nanoseconds', () => {
  assert.equal(parseRfc3339Ns('1970-01-01T00:00:01Z'), 1_000_000_000n);
  assert.equal(parseRfc3339Ns('2024-01-02T03:04:05.123456789Z'), 1704164645123456789n);
  assert.equal(parseRfc3339Ns('2024-01-02T05:04:05.5+02:00'), 1704164645500000000n);
  assert.equal(parseRfc3339Ns('2024-13-02T03:04:05Z'), undefined);
  assert.equal(parseRfc3339Ns('yesterday'), undefined);
});

test('Event, EventList and arrays of them', () => {
  const one = decodeText(event('a'));
  assert.ok(one.ok && one.events.length === 1 && one.events[0]!.timeNs === 1704164645123456000n);
  const list = decodeText(`{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[${event('a')},${event('b')}]}`);
  assert.ok(list.ok);
  assert.deepEqual(list.events.map((e) => [e.obj.auditID, e.num]), [['a', 1], ['b', 2]]);
  const arr = decodeText(`[${event('a')},{"kind":"EventList","items":[${event('b')}]}]`);
  assert.ok(arr.ok && arr.events.length === 2);
  const empty = decodeText('{"kind":"EventList","items":[]}');
  assert.ok(empty.ok && empty.events.length === 0);
});

test('structural problems name the JSON path', () => {
  const noTs = decodeText(`{"kind":"EventList","items":[${event('a')},{"kind":"Event","auditID":"b"}]}`);
  assert.ok(!noTs.ok);
  assert.equal(noTs.error.code, 'K8SAUDIT_BAD_EVENT');
  assert.equal(noTs.error.jsonPath, '$.items[1].stageTimestamp');
  const badKind = decodeText('{"kind":"Pod"}');
  assert.ok(!badKind.ok && badKind.error.code === 'K8SAUDIT_NOT_EVENT' && badKind.error.jsonPath === '$.kind');
  const items = decodeText('{"kind":"EventList","items":{}}');
  assert.ok(!items.ok && items.error.jsonPath === '$.items');
  const big = decodeText(event('a', `,"x":"${'y'.repeat(300_000)}"`));
  assert.ok(!big.ok && big.error.code === 'K8SAUDIT_EVENT_TOO_LARGE');
});

test('syntax errors carry offset, line, column and the path being read', () => {
  const p = findJsonSyntaxError('{"kind":"EventList","items":[{"a":1},{"b":tru}]}');
  assert.equal(p?.jsonPath, '$.items[1].b');
  assert.equal(p?.offset, 42);
  const r = decodeText('{"kind":"EventList",\n "items":[1,]}');
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'K8SAUDIT_BAD_JSON');
  assert.equal(r.error.jsonPath, '$.items[1]');
  assert.equal(r.error.line, 2);
  assert.equal(findJsonSyntaxError('{"a":[1,2,{"c":3}],"b":"x"}'), undefined);
  assert.equal(findJsonSyntaxError('{"a b":}')?.jsonPath, '$["a b"]');
  assert.match(findJsonSyntaxError('{} x')?.message ?? '', /after the JSON value/);
  assert.equal(findJsonSyntaxError('')?.jsonPath, '$');
});

test('JSON lines: bad lines are reported with their line number, good ones kept', () => {
  const text = `${event('a')}\n\nnot json\n${event('b')}\r\n{"kind":"Event"}\n`;
  const out = [...decodeLines(text)];
  assert.deepEqual(out.map((l) => [l.line, l.result.ok]), [[1, true], [3, false], [4, true], [5, false]]);
  const bad = out[1]!.result;
  assert.ok(!bad.ok && bad.error.line === 3);
  const b = out[2]!.result;
  assert.ok(b.ok && b.events[0]!.num === 2);
});

test('generated malformed bodies never throw and never hang', () => {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const base = `{"kind":"EventList","items":[${event('a')},${event('b', ',"requestObject":{"spec":{"containers":[{"image":"x"}]}}')}]}`;
  const alphabet = '{}[]",:0123456789truefalsn \\\n\u0000é';
  for (let i = 0; i < 3000; i++) {
    const chars = [...base];
    const edits = 1 + Math.floor(rnd() * 4);
    for (let k = 0; k < edits; k++) {
      const at = Math.floor(rnd() * chars.length);
      const op = rnd();
      if (op < 0.33) chars.splice(at, 1);
      else if (op < 0.66) chars.splice(at, 0, alphabet[Math.floor(rnd() * alphabet.length)]!);
      else chars.length = at;
    }
    const r = decodeText(chars.join(''));
    if (!r.ok) assert.ok(r.error.code.startsWith('K8SAUDIT_') && r.error.jsonPath !== undefined, chars.join(''));
  }
  const deep = '['.repeat(200_000);
  const r = decodeText(deep);
  assert.ok(!r.ok && r.error.code === 'K8SAUDIT_BAD_JSON');
  const deepOk = decodeText(`${'['.repeat(10_000)}${']'.repeat(10_000)}`);
  assert.ok(!deepOk.ok && deepOk.error.code === 'K8SAUDIT_NOT_EVENT');
});
