import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '../core/index.ts';
import { newId, SqliteStore, alertTimeMs } from '../store/index.ts';
import { AlertBus, buildApp, TokenStore, type ServerContext } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'vigil-app-'));
const store = new SqliteStore(':memory:');
await store.migrate();
const tokens = new TokenStore(dir);
const admin = tokens.create('admin').token;
const read = tokens.create('read').token;
const ingest = tokens.create('ingest').token;
const bus = new AlertBus();
const submit = async (a: Alert) => {
  const id = newId();
  await store.addAlerts([{ id, ts: alertTimeMs(a.time), alert: a }], []);
  bus.publish({ id, ts: alertTimeMs(a.time), alert: a });
  return id;
};
const ctx: ServerContext = {
  store, tokens, bus, submit, ready: () => true,
  rules: { files: [], compiled: [], warnings: [] },
  replay: async () => ({ kind: 'scap', events: 0, alerts: 0, byRule: {}, errors: [] }),
  ingest: (_req, res) => res.end('{}'),
};
const app = await buildApp(ctx);
const h = (t: string) => ({ authorization: `Bearer ${t}` });
const alert = (rule: string, priority: Alert['priority'], pod: string): Alert => ({
  hostname: 'h', output: `00:00:00.000000000: ${priority} ${rule} in ${pod}`, output_fields: { 'k8s.pod.name': pod, 'k8s.ns.name': 'ns' },
  priority, rule, source: 'syscall', tags: [], time: '2026-01-01T00:00:00.000000000Z',
});

test('tokens are stored as digests and re-read by another instance', () => {
  const again = new TokenStore(dir);
  assert.equal(again.verify(admin)?.scope, 'admin');
  assert.equal(again.verify(admin + 'x'), undefined);
  assert.ok(!JSON.stringify(again.list()).includes(admin));
});

test('scopes: read tokens cannot replay, ingest or manage tokens; ingest tokens cannot read', async () => {
  const ops: [string, string, unknown?][] = [['POST', '/api/v1/replay', { path: '/x' }], ['POST', '/api/v1/ingest/falco', {}], ['GET', '/api/v1/tokens'], ['POST', '/api/v1/tokens', { scope: 'read' }]];
  for (const [method, url, payload] of ops) {
    const r = await app.inject({ method: method as 'GET', url, headers: h(read), payload: payload as object });
    assert.equal(r.statusCode, 403, `${method} ${url}`);
    assert.equal(r.json().errors[0].code, 'API_FORBIDDEN');
  }
  assert.equal((await app.inject({ url: '/api/v1/alerts', headers: h(ingest) })).statusCode, 403);
  assert.equal((await app.inject({ url: '/api/v1/alerts', headers: h(read) })).statusCode, 200);
  assert.equal((await app.inject({ method: 'POST', url: '/api/v1/replay', headers: h(admin), payload: { path: '/x' } })).statusCode, 200);
});

test('token lifecycle: create, use, revoke', async () => {
  const c = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: h(admin), payload: { scope: 'read' } });
  assert.equal(c.statusCode, 201);
  const { id, token } = c.json() as { id: string; token: string };
  assert.equal((await app.inject({ url: '/api/v1/alerts', headers: h(token) })).statusCode, 200);
  assert.equal((await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: h(admin) })).statusCode, 204);
  assert.equal((await app.inject({ url: '/api/v1/alerts', headers: h(token) })).statusCode, 401);
  const bad = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: h(admin), payload: { scope: 'root' } });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().errors[0].jsonPath, '$.scope');
});

test('alert filters: priority, rule, pod, namespace, text; summary counts', async () => {
  await submit(alert('A', 'Critical', 'web-1'));
  await submit(alert('B', 'Notice', 'web-2'));
  await submit(alert('A', 'Warning', 'db-1'));
  const list = async (q: string) => ((await app.inject({ url: `/api/v1/alerts?${q}`, headers: h(read) })).json() as { alerts: { alert: Alert }[] }).alerts.map((a) => `${a.alert.rule}/${a.alert.output_fields['k8s.pod.name']}`).sort();
  assert.deepEqual(await list(''), ['A/db-1', 'A/web-1', 'B/web-2']);
  assert.deepEqual(await list('priority=Warning'), ['A/db-1', 'A/web-1']);
  assert.deepEqual(await list('rule=B'), ['B/web-2']);
  assert.deepEqual(await list('pod=db-1&namespace=ns'), ['A/db-1']);
  assert.deepEqual(await list('namespace=other'), []);
  assert.deepEqual(await list('q=IN%20WEB'), ['A/web-1', 'B/web-2']);
  const bad = await app.inject({ url: '/api/v1/alerts?priority=Loud', headers: h(read) });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().errors[0].jsonPath, '$.querystring.priority');
  const badTime = await app.inject({ url: '/api/v1/alerts?since=yesterdayish', headers: h(read) });
  assert.equal(badTime.statusCode, 400);
  assert.equal(badTime.json().errors[0].code, 'AUDIT_BAD_TIME');
  const s = (await app.inject({ url: '/api/v1/alerts/summary', headers: h(read) })).json() as { total: number; byPriority: Record<string, number>; topRules: { name: string; count: number }[] };
  assert.equal(s.total, 3);
  assert.equal(s.byPriority.Critical, 1);
  assert.deepEqual(s.topRules[0], { name: 'A', count: 2 });
  assert.equal((await app.inject({ url: '/api/v1/alerts/nope', headers: h(read) })).statusCode, 404);
  assert.equal((await app.inject({ url: '/api/v1/no-such-route' })).statusCode, 401);
  assert.equal((await app.inject({ url: '/api/v1/no-such-route', headers: h(read) })).statusCode, 404);
});

test('the OpenAPI document covers every API route with its security', async () => {
  const doc = (await app.inject({ url: '/api/v1/openapi.json', headers: h(read) })).json() as { paths: Record<string, Record<string, { security?: unknown; parameters: { name: string }[] }>> };
  assert.ok(doc.paths['/api/v1/tokens/{id}'].delete.security);
  assert.equal(doc.paths['/healthz'].get.security, undefined);
  assert.ok(doc.paths['/api/v1/alerts'].get.parameters.some((p) => p.name === 'namespace'));
  const want = new Set(app.vigilRoutes.filter((r) => r.url !== '/*').map((r) => r.url.replace(/:([A-Za-z_]+)/g, '{$1}')));
  for (const p of ['/api/v1/alerts', '/api/v1/alerts/summary', '/api/v1/scans', '/api/v1/compliance/reports', '/api/v1/rules/files', '/api/v1/tokens/{id}', '/healthz', '/readyz']) assert.ok(want.has(p), p);
  assert.deepEqual(Object.keys(doc.paths).sort(), [...want].sort());
});

const openssl = ['/usr/bin/openssl', '/bin/openssl'].find((p) => existsSync(p));
test('HTTPS with a given certificate', { skip: openssl ? false : 'openssl not installed: skipping the TLS test' }, async () => {
  const [k, c] = [join(dir, 'k.pem'), join(dir, 'c.pem')];
  execFileSync(openssl!, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', k, '-out', c, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  const tlsApp = await buildApp(ctx, { tls: { cert: readFileSync(c), key: readFileSync(k) } });
  await tlsApp.listen({ host: '127.0.0.1', port: 0 });
  const port = (tlsApp.server.address() as AddressInfo).port;
  const fetchTls = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      httpsGet({ host: '127.0.0.1', port, path, headers, rejectUnauthorized: false }, (r) => {
        let body = '';
        r.on('data', (d: Buffer) => (body += d));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
      }).on('error', reject);
    });
  assert.equal((await fetchTls('/healthz')).status, 200);
  assert.equal((await fetchTls('/api/v1/alerts')).status, 401);
  assert.equal((await fetchTls('/api/v1/alerts', h(read))).status, 200);
  await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
  await tlsApp.close();
});

test('teardown', async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('summary bucket widths are round (whole minutes, hours, days) and give at most the buckets asked for', async () => {
  const { bucketWidth } = await import('./routes/alerts.ts');
  const H = 3_600_000;
  assert.equal(bucketWidth(24 * H, 48), H / 2);
  assert.equal(bucketWidth(H, 48), 2 * 60_000);
  assert.equal(bucketWidth(500_000_000, 48), 3 * H);
  assert.equal(bucketWidth(30 * 24 * H, 48), 24 * H);
  assert.equal(bucketWidth(400 * 24 * H, 48), 9 * 24 * H);
  assert.equal(bucketWidth(1, 48), 1000);
  for (const span of [1, 999, 61_000, 7 * H + 5, 1e10, 3e11]) {
    for (const n of [1, 7, 48, 500]) assert.ok(span / bucketWidth(span, n) <= n, `${span} ${n}`);
  }
});
