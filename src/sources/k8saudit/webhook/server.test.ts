import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent } from '../event.ts';
import { startWebhook, type WebhookOptions } from './server.ts';

interface Reply {
  status: number;
  body: { accepted?: number; error?: { code?: string; message: string; jsonPath?: string } };
}

function post(url: string, body: string | Buffer, opts: { headers?: Record<string, string>; tls?: { ca: Buffer; cert?: Buffer; key?: Buffer }; method?: string } = {}): Promise<Reply> {
  const u = new URL(url);
  const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, {
    method: opts.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...opts.headers },
    ...(opts.tls ?? {}),
  });
  return new Promise((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as Reply['body'] }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const ev = (id: string) => ({ kind: 'Event', auditID: id, stage: 'ResponseComplete', stageTimestamp: '2024-01-01T00:00:00Z', verb: 'get' });
const list = (...ids: string[]) => JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: ids.map(ev) });

async function withServer(opts: Partial<WebhookOptions>, fn: (url: string, seen: AuditEvent[]) => Promise<void>): Promise<void> {
  const seen: AuditEvent[] = [];
  const w = await startWebhook('127.0.0.1', 0, { onEvents: (e) => seen.push(...e), ...opts });
  try {
    await fn(w.url, seen);
  } finally {
    await w.close();
  }
}

test('bearer token: accepted bodies are handed over once, others refused', async () => {
  await withServer({ tokens: ['s3cret'], maxBodyBytes: 4096 }, async (url, seen) => {
    const auth = { authorization: 'Bearer s3cret' };
    assert.equal((await post(url, list('a', 'b'))).status, 401);
    assert.equal((await post(url, list('a'), { headers: { authorization: 'Bearer nope' } })).status, 401);
    const ok = await post(url, list('a', 'b'), { headers: auth });
    assert.deepEqual([ok.status, ok.body.accepted], [200, 2]);
    const single = await post(url, JSON.stringify(ev('c')), { headers: auth });
    assert.equal(single.status, 200);
    const bad = await post(url, '{"kind":"EventList","items":[{"kind":"Event","auditID":"x"}]}', { headers: auth });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error?.jsonPath, '$.items[0].stageTimestamp');
    const syntax = await post(url, '{"kind":"EventList","items":[1,}', { headers: auth });
    assert.deepEqual([syntax.status, syntax.body.error?.code, syntax.body.error?.jsonPath], [400, 'K8SAUDIT_BAD_JSON', '$.items[1]']);
    const big = await post(url, list(...Array.from({ length: 100 }, (_, i) => `id${i}`)), { headers: auth });
    assert.equal(big.status, 413);
    assert.equal((await post(url, list('z'), { headers: { ...auth, 'content-type': 'text/plain' } })).status, 415);
    assert.equal((await post(url, '', { method: 'GET', headers: auth })).status, 405);
    // the server is still up and every accepted event was seen exactly once, in order
    assert.equal((await post(url, list('d'), { headers: auth })).status, 200);
    assert.deepEqual(seen.map((e) => e.obj.auditID), ['a', 'b', 'c', 'd']);
    assert.deepEqual(seen.map((e) => e.num), [1, 2, 3, 4]);
  });
});

test('no authentication configured refuses everything unless explicitly allowed', async () => {
  await withServer({}, async (url) => assert.equal((await post(url, list('a'))).status, 401));
  await withServer({ allowUnauthenticated: true }, async (url) => assert.equal((await post(url, list('a'))).status, 200));
});

test('fuzzed bodies never crash the server or lose accepted events', async () => {
  await withServer({ allowUnauthenticated: true }, async (url, seen) => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const base = list('a', 'b');
    let accepted = 0;
    for (let i = 0; i < 300; i++) {
      const chars = [...base];
      for (let k = 0; k < 3; k++) chars.splice(Math.floor(rnd() * chars.length), rnd() < 0.5 ? 1 : 0, '{}[]",: x'[Math.floor(rnd() * 9)]!);
      const r = await post(url, chars.join(''));
      assert.ok([200, 400].includes(r.status), String(r.status));
      if (r.status === 200) accepted += r.body.accepted!;
    }
    assert.equal(seen.length, accepted);
  });
});

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
test('TLS with client certificates (and a token as the alternative)', { skip: hasOpenssl ? false : 'openssl not installed' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-k8saudit-tls-'));
  const ssl = (...args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=test-ca');
  for (const n of ['server', 'client']) {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${n}.key`, '-out', `${n}.csr`, '-subj', `/CN=${n}`);
    ssl('x509', '-req', '-in', `${n}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${n}.crt`, '-days', '1',
      ...(n === 'server' ? ['-extfile', 'san.ext'] : []));
  }
  const f = (n: string) => readFileSync(join(dir, n));
  try {
    await withServer({ tls: { cert: f('server.crt'), key: f('server.key'), clientCa: f('ca.crt') }, tokens: ['tok'] }, async (url) => {
      assert.ok(url.startsWith('https://'));
      const ca = f('ca.crt');
      assert.equal((await post(url, list('a'), { tls: { ca, cert: f('client.crt'), key: f('client.key') } })).status, 200);
      assert.equal((await post(url, list('a'), { tls: { ca } })).status, 401);
      assert.equal((await post(url, list('a'), { tls: { ca }, headers: { authorization: 'Bearer tok' } })).status, 200);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
