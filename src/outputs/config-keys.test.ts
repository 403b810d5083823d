// Falco's output keys that change behaviour: buffered_outputs, outputs_queue.capacity,
// http_output.echo and http_output.max_consecutive_timeouts; invalid values are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { ConfigError, loadConfig } from '../core/index.ts';
import { openTempStore, sampleAlert, type Store } from '../store/index.ts';
import {
  channelsFromConfig, createHttpChannel, createStdoutChannel, DEFAULT_FORMAT, Outbox, outboxOptionsFromConfig, type OutboxEvent,
} from './index.ts';

function sink(): { stream: Writable; chunks: string[] } {
  const chunks: string[] = [];
  const stream = new Writable({ write(c: Buffer, _e, cb) { chunks.push(c.toString()); cb(); } });
  return { stream, chunks };
}

async function through(buffered: boolean, n: number): Promise<string[]> {
  const store = await openTempStore();
  const out = sink();
  const outbox = new Outbox(store, [createStdoutChannel({ stream: out.stream, buffered }, { ...DEFAULT_FORMAT, json: false })]);
  outbox.start();
  await Promise.all(Array.from({ length: n }, (_, i) => outbox.submit(sampleAlert(i))));
  await outbox.drain();
  await outbox.stop();
  await store.close();
  return out.chunks;
}

test('buffered_outputs: a burst is joined into few writes, in order; unbuffered writes once per alert', async () => {
  const want = Array.from({ length: 60 }, (_, i) => sampleAlert(i).output + '\n').join('');
  const unbuffered = await through(false, 60);
  assert.equal(unbuffered.length, 60);
  assert.equal(unbuffered.join(''), want);
  const buffered = await through(true, 60);
  assert.ok(buffered.length < 60, `${buffered.length} writes`);
  assert.equal(buffered.join(''), want);
  const cfg = loadConfig({ overrides: ['buffered_outputs=true', 'syslog_output.enabled=false'] }).config;
  assert.equal(channelsFromConfig(cfg).find((c) => c.name === 'stdout')!.concurrency > 1, true);
});

test('outputs_queue.capacity: a full queue drops new alerts, counts them and reports it', async () => {
  const inner = await openTempStore();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  // a store that is slow to commit, so alerts pile up behind the first transaction
  const slow: Store = Object.assign(Object.create(inner) as Store, {
    addAlerts: async (...a: Parameters<Store['addAlerts']>) => { await gate; return inner.addAlerts(...a); },
  });
  const events: OutboxEvent[] = [];
  const cfg = loadConfig({ overrides: ['outputs_queue.capacity=5'] }).config;
  const outbox = new Outbox(slow, [], { ...outboxOptionsFromConfig(cfg), onEvent: (e) => events.push(e) });
  const results = Array.from({ length: 20 }, (_, i) => outbox.submit(sampleAlert(i)).then(() => 'ok', (e: { code?: string }) => e.code));
  release();
  const r = await Promise.all(results);
  assert.deepEqual(r, [...Array(5).fill('ok'), ...Array(15).fill('OUTPUT_QUEUE_FULL')]);
  assert.equal(outbox.queueDrops, 15);
  assert.equal(events.filter((e) => e.type === 'queue-full').length, 1);
  assert.equal((await inner.queryAlerts()).length, 5);
  // 0 (Falco's default) is unbounded
  const open = new Outbox(inner, [], outboxOptionsFromConfig(loadConfig().config));
  await Promise.all(Array.from({ length: 50 }, (_, i) => open.submit(sampleAlert(i))));
  assert.equal(open.queueDrops, 0);
  await inner.close();
});

async function server(handler: http.RequestListener): Promise<{ url: string; close: () => void }> {
  const s = http.createServer(handler).listen(0, '127.0.0.1');
  await once(s, 'listening');
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/`, close: () => { s.closeAllConnections(); s.close(); } };
}

test('http_output.echo writes the receiver\'s response body to stdout', async () => {
  const srv = await server((req, res) => { req.resume(); req.on('end', () => res.end(`{"accepted":"${req.headers['x-vigil-alert-id']}"}`)); });
  const out = sink();
  const on = createHttpChannel({ url: srv.url, echo: true, echoStream: out.stream }, DEFAULT_FORMAT);
  await on.send(sampleAlert(1), 'ID-1');
  const off = createHttpChannel({ url: srv.url, echoStream: out.stream }, DEFAULT_FORMAT);
  await off.send(sampleAlert(2), 'ID-2');
  assert.deepEqual(out.chunks, ['{"accepted":"ID-1"}\n']);
  await on.close();
  await off.close();
  srv.close();
});

test('http_output.max_consecutive_timeouts: a timed-out POST is repeated that many times, then left to the outbox', async () => {
  let seen = 0;
  let answerFrom = 3; // the first two requests never get an answer
  const srv = await server((req, res) => {
    seen++;
    req.resume();
    if (seen >= answerFrom) res.end();
  });
  const ch = (max: number) => createHttpChannel({ url: srv.url, timeout_ms: 150, max_consecutive_timeouts: max }, DEFAULT_FORMAT);
  const three = ch(3);
  await three.send(sampleAlert(1), 'A');
  assert.equal(seen, 3);
  seen = 0;
  answerFrom = 3;
  const two = ch(2);
  await assert.rejects(two.send(sampleAlert(1), 'B'), (e: Error & { permanent?: boolean }) => e.name === 'DeliveryError' && e.permanent === false);
  assert.equal(seen, 2);
  // a refusal is not a timeout: no repeat
  seen = 0;
  answerFrom = 0;
  const refused = await server((req, res) => { seen++; req.resume(); res.writeHead(503).end(); });
  await assert.rejects(createHttpChannel({ url: refused.url, max_consecutive_timeouts: 5 }, DEFAULT_FORMAT).send(sampleAlert(1), 'C'));
  assert.equal(seen, 1);
  for (const c of [three, two]) await c.close();
  srv.close();
  refused.close();
});

test('invalid values of these keys are refused with the key path', () => {
  const refused = (o: string): { code: string; jsonPath?: string } => {
    try {
      loadConfig({ overrides: [o] });
    } catch (e) {
      if (e instanceof ConfigError) return e.diagnostics[0];
      throw e;
    }
    return assert.fail(`accepted ${o}`);
  };
  assert.deepEqual(pick(refused('outputs_queue.capacity=-1')), { code: 'CONFIG_OUT_OF_RANGE', jsonPath: '$.outputs_queue.capacity' });
  assert.deepEqual(pick(refused('buffered_outputs=maybe')), { code: 'CONFIG_INVALID_TYPE', jsonPath: '$.buffered_outputs' });
  assert.deepEqual(pick(refused('http_output.echo=1')), { code: 'CONFIG_INVALID_TYPE', jsonPath: '$.http_output.echo' });
  assert.deepEqual(pick(refused('http_output.max_consecutive_timeouts=-2')), { code: 'CONFIG_OUT_OF_RANGE', jsonPath: '$.http_output.max_consecutive_timeouts' });
  assert.deepEqual(pick(refused('audit.kinds[]=exe')), { code: 'CONFIG_INVALID_VALUE', jsonPath: '$.audit.kinds[0]' });
});

function pick(d: { code: string; jsonPath?: string }): { code: string; jsonPath?: string } {
  return { code: d.code, jsonPath: d.jsonPath };
}
