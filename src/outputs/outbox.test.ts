import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { SqliteStore, sampleAlert } from '../store/index.ts';
import { createHttpChannel } from './http.ts';
import { Outbox } from './outbox.ts';
import { DEFAULT_FORMAT, DeliveryError, type Channel } from './types.ts';
import { freePort, Receiver } from '../../test/support/receiver.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await sleep(20);
  }
}

function tmpDb(): { path: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-outbox-'));
  return { path: join(dir, 'v.db'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('webhook down then up: every alert arrives, Falco-shaped, exactly once after de-dup', async () => {
  const db = tmpDb();
  const store = new SqliteStore(db.path);
  await store.migrate();
  const rx = new Receiver();
  rx.port = await freePort();
  const outbox = new Outbox(store, [createHttpChannel({ url: `http://127.0.0.1:${rx.port}/`, timeout_ms: 1000 }, DEFAULT_FORMAT)], {
    retryBaseMs: 20, retryMaxMs: 100,
  });
  outbox.start();
  const ids = await Promise.all(Array.from({ length: 500 }, (_, i) => outbox.submit(sampleAlert(i))));
  await until(() => outbox.stats().http.failures > 0);
  assert.equal(await store.pendingCount('http'), 500);
  await rx.up();
  await outbox.drain();
  await outbox.stop();
  assert.equal(rx.ids.size, 500);
  assert.deepEqual([...rx.ids].sort(), [...ids].sort());
  const b = rx.got[0].body;
  assert.deepEqual(Object.keys(b), ['uuid', 'hostname', 'output', 'output_fields', 'priority', 'rule', 'source', 'tags', 'time']);
  assert.equal(rx.got[0].headers['content-type'], 'application/json');
  assert.equal(rx.got[0].headers['user-agent'], 'falcosecurity/falco');
  const orig = sampleAlert(0);
  const first = rx.got.find((g) => g.id === ids[0])!;
  assert.deepEqual({ ...first.body, uuid: undefined }, { ...orig, uuid: undefined });
  assert.ok(outbox.stats().http.failures > 0);
  await rx.down();
  await store.close();
  db.done();
});

test('outbox survives SIGKILL: a restarted process delivers every committed alert', async () => {
  const db = tmpDb();
  const rx = new Receiver();
  rx.port = await freePort();
  const child = (mode: string, n = 0): ChildProcess =>
    spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/outbox-child.ts'), db.path, `http://127.0.0.1:${rx.port}/`, mode, String(n)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  const N = 2000;
  const a = child('submit', N);
  let out = '';
  a.stdout!.on('data', (c: Buffer) => (out += c));
  await until(() => out.includes('committed'), 60_000);
  // the target comes up; kill -9 the sender in the middle of delivering
  await rx.up();
  await until(() => rx.got.length >= 200, 60_000);
  a.kill('SIGKILL');
  const [code, signal] = await once(a, 'exit');
  assert.equal(signal, 'SIGKILL', `exit ${code}`);
  const before = rx.ids.size;
  assert.ok(before < N, `all ${N} were delivered before the kill; the test proves nothing`);
  const b = child('recover');
  let out2 = '';
  b.stdout!.on('data', (c: Buffer) => (out2 += c));
  const [code2] = await once(b, 'exit');
  assert.equal(code2, 0);
  assert.match(out2, /drained/);
  assert.equal(rx.ids.size, N);
  const seqs = new Set(rx.got.map((g) => (g.body.output_fields as { seq: number }).seq));
  assert.equal(seqs.size, N);
  await rx.down();
  db.done();
});

test('a permanently refused alert is retried with back-off then dropped; others flow', async () => {
  const db = tmpDb();
  const store = new SqliteStore(db.path);
  await store.migrate();
  const seen: string[] = [];
  const ch: Channel = {
    name: 'picky', concurrency: 2,
    async send(alert, id) {
      if (alert.rule === 'bad') throw new DeliveryError('HTTP 400', true);
      seen.push(id);
    },
    async close() {},
  };
  const events: string[] = [];
  const outbox = new Outbox(store, [ch], { retryBaseMs: 1, retryMaxMs: 5, maxPermanentAttempts: 3, onEvent: (e) => events.push(e.type) });
  outbox.start();
  await outbox.submit(sampleAlert(1, { rule: 'bad' }));
  const good = await outbox.submit(sampleAlert(2));
  await outbox.drain(10_000);
  await outbox.stop();
  assert.deepEqual(seen, [good]);
  assert.deepEqual(outbox.stats().picky, { delivered: 1, failures: 3, dropped: 1, consecutiveFailures: 0 });
  assert.ok(events.includes('alert-dropped'));
  await store.close();
  db.done();
});

test('a down channel does not hold up a healthy one', async () => {
  const db = tmpDb();
  const store = new SqliteStore(db.path);
  await store.migrate();
  const ok: string[] = [];
  const good: Channel = { name: 'good', concurrency: 1, async send(_a, id) { ok.push(id); }, async close() {} };
  const bad: Channel = { name: 'bad', concurrency: 1, async send() { throw new DeliveryError('ECONNREFUSED'); }, async close() {} };
  const outbox = new Outbox(store, [bad, good], { retryBaseMs: 10_000 });
  outbox.start();
  for (let i = 0; i < 20; i++) await outbox.submit(sampleAlert(i));
  await until(async () => ok.length === 20);
  assert.equal(await store.pendingCount('bad'), 20);
  assert.equal(await store.pendingCount('good'), 0);
  await outbox.stop();
  await store.close();
  db.done();
});
