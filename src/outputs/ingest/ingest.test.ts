import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { Alert } from '../../core/index.ts';
import { sampleAlert } from '../../store/index.ts';
import { startIngestServer } from './server.ts';

async function withServer(fn: (url: string, got: Alert[]) => Promise<void>, max?: number): Promise<void> {
  const got: Alert[] = [];
  const srv = await startIngestServer(async (a) => {
    got.push(a);
    return `id${got.length}`;
  }, { port: 0 }, { maxBodyBytes: max });
  try {
    await fn(`http://127.0.0.1:${srv.port}`, got);
  } finally {
    await srv.close();
  }
}

const post = (url: string, body: string | Buffer, headers: Record<string, string> = { 'Content-Type': 'application/json' }): Promise<Response> =>
  fetch(url, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers });

test('accepts what Falco http_output sends: one JSON alert per POST', async () => {
  await withServer(async (url, got) => {
    const a = sampleAlert(1);
    const r = await post(url + '/', JSON.stringify(a), { 'Content-Type': 'application/json', 'User-Agent': 'falcosecurity/falco' });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { ids: ['id1'] });
    assert.deepEqual(got, [a]);
  });
});

test('gzip bodies, arrays and JSON lines; older alerts without source/tags/hostname', async () => {
  await withServer(async (url, got) => {
    assert.equal((await post(url, gzipSync(JSON.stringify(sampleAlert(1))), { 'Content-Encoding': 'gzip' })).status, 200);
    assert.equal((await post(url, JSON.stringify([sampleAlert(2), sampleAlert(3)]))).status, 200);
    assert.equal((await post(url, `${JSON.stringify(sampleAlert(4))}\n${JSON.stringify(sampleAlert(5))}\n`)).status, 200);
    const { source: _s, tags: _t, hostname: _h, ...old } = sampleAlert(6, { priority: 'warning' as Alert['priority'] });
    assert.equal((await post(url, JSON.stringify(old))).status, 200);
    assert.equal(got.length, 6);
    assert.deepEqual([got[5].source, got[5].tags, got[5].hostname, got[5].priority], ['syscall', [], '', 'Warning']);
  });
});

test('bad input gets a coded error with its JSON path, stores nothing, never crashes', async () => {
  await withServer(async (url, got) => {
    let r = await post(url, '2026-01-01T00:00:00Z: Warning text output');
    assert.equal(r.status, 400);
    assert.equal(((await r.json()) as { errors: { code: string }[] }).errors[0].code, 'INGEST_BAD_JSON');
    r = await post(url, JSON.stringify([sampleAlert(1), { ...sampleAlert(2), priority: 'Loud', tags: [1] }]));
    assert.equal(r.status, 400);
    const errs = ((await r.json()) as { errors: { code: string; jsonPath: string }[] }).errors;
    assert.deepEqual(errs.map((e) => e.jsonPath).sort(), ['$[1].priority', '$[1].tags']);
    assert.ok(errs.every((e) => e.code === 'INGEST_INVALID_ALERT'));
    r = await post(url, gzipSync('x').subarray(0, 5), { 'Content-Encoding': 'gzip' });
    assert.equal(r.status, 415);
    r = await post(url, JSON.stringify(sampleAlert(1)), { 'Content-Encoding': 'br' });
    assert.equal(r.status, 415);
    assert.equal((await fetch(url)).status, 405);
    assert.equal((await fetch(url + '/healthz')).status, 200);
    assert.equal((await post(url + '/nope', '{}')).status, 404);
    assert.equal(got.length, 0);
  });
  await withServer(async (url, got) => {
    const r = await post(url, JSON.stringify({ ...sampleAlert(1), output: 'x'.repeat(5000) }));
    assert.equal(r.status, 413);
    assert.equal(got.length, 0);
  }, 1000);
});

test('a failing sink answers 503 so the sender retries', async () => {
  const srv = await startIngestServer(async () => {
    throw new Error('disk full');
  }, { port: 0 });
  const r = await post(`http://127.0.0.1:${srv.port}/`, JSON.stringify(sampleAlert(1)));
  assert.equal(r.status, 503);
  await srv.close();
});
