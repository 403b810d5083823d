/**
 * The web UI's pure helpers, run in Node: the server-sent-events parser (events split across
 * network chunks), query strings and hash links without empty values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { query } from '../../web/src/api.ts';
import { parseEvents } from '../../web/src/live.ts';
import { href } from '../../web/src/router.ts';

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
