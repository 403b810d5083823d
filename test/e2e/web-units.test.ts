/**
 * The web UI's pure helpers, run in Node: the server-sent-events parser (events split across
 * network chunks), query strings and hash links without empty values, exact int64 values; and
 * the UI's type check against the server's answer types.
 */
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { query } from '../../web/src/api.ts';
import { parseEvents } from '../../web/src/live.ts';
import { href } from '../../web/src/router.ts';
import { projectPath } from '../../src/core/index.ts';

test('SSE parser: whole events only, split anywhere, comments and pings ignored', () => {
  const stream = ': connected\n\nevent: alert\nid: 1\ndata: {"id":"1"}\n\n: ping\n\nevent: alert\ndata: {"id":\ndata: "2"}\n\n';
  for (let cut = 0; cut <= stream.length; cut++) {
    const a = parseEvents(stream.slice(0, cut));
    const b = parseEvents(a.rest + stream.slice(cut));
    const all = [...a.events, ...b.events];
    assert.deepEqual(all.map((e) => [e.event, e.data]), [['alert', '{"id":"1"}'], ['alert', '{"id":\n"2"}']], `cut at ${cut}`);
    assert.equal(b.rest, '');
  }
});

test('query strings and hash links leave out empty values and escape the rest', () => {
  assert.equal(query({ a: '', b: undefined, rule: 'Write below etc', n: 0, ok: false }), '?rule=Write+below+etc&n=0&ok=false');
  assert.equal(query({}), '');
  assert.equal(href('alerts', { rule: 'a&b', pod: '' }), '#/alerts?rule=a%26b');
  assert.equal(href('overview'), '#/overview');
});

test('answers are parsed exactly: int64 fields keep every digit, the rest reads as JSON.parse reads it', async () => {
  const { parseJsonExact } = await import('../../src/store/json.ts');
  const { showValue } = await import('../../web/src/values.ts');
  const text = '{"alert":{"output_fields":{"evt.time":1767225600123456789,"proc.pid":42,"fd.names":["a",1767225600123456790],"s":"1767225600123456789x"}}}';
  const f = (parseJsonExact(text) as { alert: { output_fields: Record<string, unknown> } }).alert.output_fields;
  assert.equal(showValue(f['evt.time']), '1767225600123456789');
  assert.equal(showValue(f['fd.names']), '["a",1767225600123456790]');
  assert.equal(showValue(f['proc.pid']), '42');
  assert.equal(showValue(f.s), '1767225600123456789x');
  assert.notEqual(String((JSON.parse(text) as { alert: { output_fields: Record<string, unknown> } }).alert.output_fields['evt.time']), '1767225600123456789');
});

test('the UI type-checks against the server answer types it shares (tsc -p web): a change to one that the other does not follow fails here', () => {
  const tsc = projectPath('node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', projectPath('web'), '--pretty', 'false'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
