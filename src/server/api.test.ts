/**
 * The API as a whole: every registered route refuses a missing or unknown token (401) and a
 * token of the wrong scope (403), every route with a body answers malformed bodies with 400
 * and the problem's location, the OpenAPI document validates with a real validator, and the
 * scan, compliance, rules-upload, alert-paging and activity routes do what they say.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '@readme/openapi-parser';
import { projectPath, type Alert } from '../core/index.ts';
import { loadSyscallRules } from '../engine/index.ts';
import type { CompiledRule } from '../rules/index.ts';
import { importPath, VulnDb } from '../scan/index.ts';
import { alertTimeMs, newId, SqliteStore } from '../store/index.ts';
import { needConformance } from '../../test/conformance/helpers.ts';
import { AlertBus, buildApp, streams, TokenStore, type Scope, type ServerContext } from './index.ts';
import { scanWithDb } from './scan-runner.ts';

const dir = mkdtempSync(join(tmpdir(), 'vigil-api-'));
const store = new SqliteStore(join(dir, 'vigil.db'));
await store.migrate();
const tokens = new TokenStore(dir);
const tok: Record<Scope, string> = { admin: tokens.create('admin').token, read: tokens.create('read').token, ingest: tokens.create('ingest').token };
const rulesFile = projectPath('rules/vigil_rules.yaml');
const loaded = loadSyscallRules([rulesFile]);
// Trivy's fixture database and image: four MEDIUM findings, all with a fixed version
const golden = needConformance('scan', 'trivy-golden');
const image = join(golden.path, 'images', 'integration-alpine-310.tar.gz');
const dbPath = join(dir, 'vulndb.sqlite');
if (!golden.skip) {
  const db = new VulnDb(dbPath);
  importPath(db, join(golden.path, 'db'));
  db.close();
}
const bus = new AlertBus();
const submit = async (a: Alert) => {
  const id = newId();
  await store.addAlerts([{ id, ts: alertTimeMs(a.time), alert: a }], []);
  return id;
};
const ctx: ServerContext = {
  store, tokens, bus, submit, ready: () => true, dataDir: dir,
  rules: { files: [rulesFile], compiled: loaded.result.rules as CompiledRule<unknown>[], warnings: [], setEnabled: (name) => (loaded.result.rules.some((r) => r.name === name) ? 1 : 0) },
  replay: async () => ({ kind: 'scap', events: 0, alerts: 0, byRule: {}, errors: [] }),
  ingest: (_req, res) => res.end('{}'),
  auditWebhook: (_req, res) => res.end('{}'),
  scan: (kind, ref) => scanWithDb(kind, ref, dbPath),
};
const app = await buildApp(ctx);
after(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
const h = (t: string) => ({ authorization: `Bearer ${t}` });
const concrete = (url: string) => url.replace(/:[A-Za-z_]+/g, 'x').replace(/\*$/, 'x');

test('every route but health and the UI refuses no token and an unknown token (401) and a wrong scope (403)', async () => {
  const routes = app.vigilRoutes;
  assert.deepEqual(routes.filter((r) => r.public).map((r) => `${r.method} ${r.url}`).sort(), ['GET /*', 'GET /healthz', 'GET /readyz']);
  let checked = 0;
  for (const r of routes.filter((x) => !x.public)) {
    const url = concrete(r.url);
    const send = (headers: Record<string, string>) => app.inject({ method: r.method as 'GET', url, headers: { ...headers, 'content-type': 'application/json' }, payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : '{}' });
    for (const headers of [{}, h('vgl_00000000_unknown'), { authorization: 'Basic eDp5' }]) {
      const res = await send(headers);
      assert.equal(res.statusCode, 401, `${r.method} ${r.url} with ${JSON.stringify(headers)}`);
      assert.equal(res.json().errors[0].code, 'API_UNAUTHORIZED');
    }
    for (const scope of (['admin', 'read', 'ingest'] as Scope[]).filter((s) => !r.scopes.includes(s))) {
      const res = await send(h(tok[scope]));
      assert.equal(res.statusCode, 403, `${r.method} ${r.url} with a ${scope} token`);
      assert.equal(res.json().errors[0].code, 'API_FORBIDDEN');
    }
    checked++;
  }
  // guards against an enumeration that silently finds nothing
  assert.ok(checked >= 25, `${checked} guarded routes`);
  assert.ok(routes.some((r) => r.url === '/api/v1/ingest/k8s-audit' && !r.public));
});

test('every route with a body answers a malformed one with 400 and where the problem is', async () => {
  const withBody = app.vigilRoutes.filter((r) => r.hasBody);
  assert.ok(withBody.length >= 8, `${withBody.length} routes with bodies`);
  for (const r of withBody) {
    const token = tok[r.scopes.includes('admin') ? 'admin' : r.scopes[0]];
    const url = concrete(r.url);
    const wrong = await app.inject({ method: r.method as 'POST', url, headers: { ...h(token), 'content-type': 'application/json' }, payload: '{"unexpected": [1]}' });
    assert.equal(wrong.statusCode, 400, `${r.method} ${r.url}: ${wrong.body}`);
    const d = wrong.json().errors[0] as { code: string; jsonPath?: string };
    assert.equal(d.code, 'API_BAD_REQUEST', r.url);
    assert.match(d.jsonPath ?? '', /^\$/, `${r.url} names the location`);
    const broken = await app.inject({ method: r.method as 'POST', url, headers: { ...h(token), 'content-type': 'application/json' }, payload: '{"content": "x",' });
    assert.equal(broken.statusCode, 400, `${r.method} ${r.url}`);
    assert.equal(broken.json().errors[0].code, 'API_BAD_JSON');
    assert.equal(typeof broken.json().errors[0].offset, 'number', `${r.url} gives the byte offset`);
  }
  const missing = await app.inject({ method: 'POST', url: '/api/v1/scans', headers: h(tok.admin), payload: { kind: 'image' } });
  assert.equal(missing.json().errors[0].jsonPath, '$.ref');
  const badQuery = await app.inject({ url: '/api/v1/scans/x/findings?severity=NASTY', headers: h(tok.read) });
  assert.equal(badQuery.statusCode, 400);
  assert.equal(badQuery.json().errors[0].jsonPath, '$.querystring.severity');
});

test('the OpenAPI document validates and lists every guarded route with its security', async () => {
  const doc = (await app.inject({ url: '/api/v1/openapi.json', headers: h(tok.read) })).json();
  const result = await validate(structuredClone(doc));
  assert.equal(result.valid, true, result.valid ? '' : JSON.stringify(result.errors.slice(0, 3)));
  for (const r of app.vigilRoutes.filter((x) => x.url.startsWith('/api/') || x.url.startsWith('/healthz') || x.url.startsWith('/readyz'))) {
    const op = doc.paths[r.url.replace(/:([A-Za-z_]+)/g, '{$1}')]?.[r.method.toLowerCase()];
    assert.ok(op, `${r.method} ${r.url} documented`);
    assert.equal(!!op.security, !r.public, `${r.method} ${r.url} security`);
  }
  // a document a validator refuses must fail this test: break it on purpose once
  const broken = structuredClone(doc);
  broken.paths['/api/v1/alerts'].get.responses = 'none';
  assert.equal((await validate(broken)).valid, false);
});

test('alerts: cursor pages cover every match once; summary counts and buckets agree', async () => {
  const base = Date.parse('2026-03-01T00:00:00Z');
  const alerts: Alert[] = [];
  for (let i = 0; i < 250; i++) {
    alerts.push({
      hostname: 'h', output: `x ${i % 2 ? 'odd' : 'even'} ${i}`, priority: i % 5 === 0 ? 'Critical' : 'Notice', rule: `R${i % 3}`, source: 'syscall', tags: [],
      time: new Date(base + Math.floor(i / 2) * 60_000).toISOString(), output_fields: { 'container.id': 'abcdef012345', 'container.name': 'web', 'k8s.ns.name': 'shop', 'k8s.pod.name': `web-${i % 2}` },
    });
  }
  await store.addAlerts(alerts.map((a) => ({ id: newId(), ts: alertTimeMs(a.time), alert: a })), []);
  const seen = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const r = await app.inject({ url: `/api/v1/alerts?pod=web-1&namespace=shop&limit=40${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: h(tok.read) });
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json() as { alerts: { id: string; ts: number; alert: Alert }[]; next?: string };
    for (const a of body.alerts) {
      assert.ok(!seen.has(a.id), 'no alert twice');
      assert.equal(a.alert.output_fields['k8s.pod.name'], 'web-1');
      seen.add(a.id);
    }
    cursor = body.next;
    pages++;
  } while (cursor && pages < 20);
  assert.equal(seen.size, 125);
  assert.equal(pages, 4);
  const text = (await app.inject({ url: '/api/v1/alerts?q=ODD&priority=Critical&limit=1000', headers: h(tok.read) })).json() as { alerts: { alert: Alert }[] };
  assert.equal(text.alerts.length, alerts.filter((a) => a.output.includes('odd') && a.priority === 'Critical').length);
  const s = (await app.inject({ url: '/api/v1/alerts/summary?since=2026-03-01T00:00:00Z&until=2026-03-01T02:05:00Z&buckets=25', headers: h(tok.read) })).json() as {
    total: number; byPriority: Record<string, number>; buckets: { total: number }[]; topContainers: { name: string; count: number }[]; newest: unknown[];
  };
  assert.equal(s.total, 250);
  assert.equal(s.byPriority.Critical, 50);
  assert.equal(s.buckets.reduce((n, b) => n + b.total, 0), 250);
  assert.equal(s.topContainers[0].count, 250);
  assert.equal(s.newest.length, 10);
  const bad = await app.inject({ url: '/api/v1/alerts?cursor=not-a-cursor', headers: h(tok.read) });
  assert.equal(bad.statusCode, 400, bad.body);
});

test('alert activity: the container of the alert within the window', async () => {
  const ts = Date.parse('2026-03-02T00:00:00Z');
  const id = await submit({ hostname: 'h', output: 'o', priority: 'Warning', rule: 'R', source: 'syscall', tags: [], time: new Date(ts).toISOString(), output_fields: { 'container.id': 'c0ffee000001' } });
  const act = (dt: number, containerId: string) => ({ kind: 'exec' as const, ts: ts + dt, tsNs: String(BigInt(ts + dt) * 1_000_000n), pid: 7, comm: 'sh', cmdline: 'sh -c id', containerId });
  await store.addActivity([act(-10_000, 'c0ffee000001'), act(20_000, 'c0ffee000001'), act(0, 'other0000000'), act(-900_000, 'c0ffee000001')]);
  const r = (await app.inject({ url: `/api/v1/alerts/${id}/activity?window=60`, headers: h(tok.read) })).json() as { container: string; activity: { ts: number }[] };
  assert.equal(r.container, 'c0ffee000001');
  assert.deepEqual(r.activity.map((a) => a.ts - ts).sort((a, b) => a - b), [-10_000, 20_000]);
  assert.equal((await app.inject({ url: '/api/v1/alerts/nope/activity', headers: h(tok.read) })).statusCode, 404);
});

test('scans: submit, list with counts, findings by severity and fix, newest critical; bad input', { skip: golden.skip }, async () => {
  const r = await app.inject({ method: 'POST', url: '/api/v1/scans', headers: h(tok.admin), payload: { ref: image } });
  assert.equal(r.statusCode, 201, r.body);
  const { id, summary } = r.json() as { id: string; summary: { findings: number; fixable: number; bySeverity: Record<string, number>; os: string } };
  assert.match(summary.os, /^alpine 3\.10/);
  assert.ok(summary.findings > 0);
  const list = (await app.inject({ url: '/api/v1/scans', headers: h(tok.read) })).json() as { scans: { id: string }[] };
  assert.equal(list.scans[0].id, id);
  const all = (await app.inject({ url: `/api/v1/scans/${id}/findings?limit=5000`, headers: h(tok.read) })).json() as { total: number; findings: { severity: string; fixed?: string }[] };
  assert.equal(all.total, summary.findings);
  assert.equal(all.findings.length, summary.findings);
  const find = async (q: string) => (await app.inject({ url: `/api/v1/scans/${id}/findings?${q}`, headers: h(tok.read) })).json() as { total: number; findings: { severity: string; fixed?: string; pkg: string }[] };
  for (const sev of ['MEDIUM', 'HIGH']) {
    for (const fixable of [true, false]) {
      const got = await find(`severity=${sev}&fixable=${fixable}`);
      assert.equal(got.total, all.findings.filter((f) => f.severity === sev && !!f.fixed === fixable).length, `${sev} fixable=${fixable}`);
      assert.ok(got.findings.every((f) => f.severity === sev && !!f.fixed === fixable));
    }
  }
  assert.equal(summary.bySeverity.MEDIUM, all.findings.filter((f) => f.severity === 'MEDIUM').length);
  assert.equal(summary.fixable, all.findings.filter((f) => f.fixed).length);
  assert.ok((await find('q=LIBSSL')).findings.every((f) => f.pkg === 'libssl1.1'));
  const newest = async (sev: string) => ((await app.inject({ url: `/api/v1/findings?severity=${sev}`, headers: h(tok.read) })).json() as { findings: { scan: string; severity: string }[] }).findings;
  assert.equal((await newest('CRITICAL')).length, summary.bySeverity.CRITICAL);
  assert.equal((await newest('LOW')).length, Math.min(10, summary.findings - summary.bySeverity.UNKNOWN));
  assert.ok((await newest('LOW')).every((f) => f.scan === id));
  // kept on disk: a new server over the same data folder lists the scan
  const again = await buildApp({ ...ctx });
  assert.equal(((await again.inject({ url: '/api/v1/scans', headers: h(tok.read) })).json() as { scans: { id: string }[] }).scans[0].id, id);
  await again.close();
  const missing = await app.inject({ method: 'POST', url: '/api/v1/scans', headers: h(tok.admin), payload: { ref: '/nonexistent/image.tar' } });
  assert.equal(missing.statusCode, 400);
  assert.equal(missing.json().errors[0].code, 'SCAN_NOT_FOUND');
  assert.equal((await app.inject({ url: '/api/v1/scans/nope/findings', headers: h(tok.read) })).statusCode, 404);
});

const PRIVILEGED = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team}\nspec:\n  containers: [{name: c, image: nginx, securityContext: {privileged: true}}]\n';

test('compliance: posture reports are kept with scores; waivers turn failures into accepted ones', async () => {
  const post = () => app.inject({ method: 'POST', url: '/api/v1/compliance/posture?name=team', headers: { ...h(tok.admin), 'content-type': 'text/yaml' }, payload: PRIVILEGED });
  const first = await post();
  assert.equal(first.statusCode, 200, first.body);
  const rep = first.json() as { id: string; controls: { id: string; status: string; resources: { name: string }[] }[]; frameworks: unknown[] };
  const failed = rep.controls.filter((c) => c.status === 'failed');
  assert.ok(failed.length > 0 && rep.frameworks.length > 0);
  const latest = (await app.inject({ url: '/api/v1/compliance/reports/latest', headers: h(tok.read) })).json() as { id: string; summary: { name: string; failedControls: number } };
  assert.equal(latest.id, rep.id);
  assert.deepEqual([latest.summary.name, latest.summary.failedControls], ['team', failed.length]);
  // a control failing on the pod itself (namespace-level controls name the namespace instead)
  const control = failed.find((c) => c.resources.some((x) => x.name === 'p'))!.id;
  const badYaml = await app.inject({ method: 'PUT', url: '/api/v1/compliance/waivers', headers: { ...h(tok.admin), 'content-type': 'text/yaml' }, payload: 'waivers: [' });
  assert.equal(badYaml.statusCode, 400);
  assert.equal(badYaml.json().errors[0].code, 'WAIVER_PARSE');
  const noReason = await app.inject({ method: 'PUT', url: '/api/v1/compliance/waivers', headers: { ...h(tok.admin), 'content-type': 'text/yaml' }, payload: `waivers:\n  - control: ${control}\n` });
  assert.equal(noReason.statusCode, 400);
  assert.equal(noReason.json().errors[0].jsonPath, '$.waivers[0]');
  const ok = await app.inject({ method: 'PUT', url: '/api/v1/compliance/waivers', headers: { ...h(tok.admin), 'content-type': 'text/yaml' }, payload: `waivers:\n  - control: ${control}\n    namespace: team\n    reason: accepted for the test\n` });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.ok(existsSync(join(dir, 'waivers.yaml')));
  const second = (await post()).json() as { controls: { id: string; status: string }[] };
  assert.equal(second.controls.find((c) => c.id === control)?.status, 'accepted');
  const reports = (await app.inject({ url: '/api/v1/compliance/reports', headers: h(tok.read) })).json() as { reports: unknown[] };
  assert.equal(reports.reports.length, 2);
});

test('rules upload: refused with loader diagnostics, kept when it loads with the rules in force', async () => {
  const up = (name: string, content: string) => app.inject({ method: 'POST', url: '/api/v1/rules/files', headers: h(tok.admin), payload: { name, content } });
  const bad = await up('mine.yaml', '- rule: broken\n  desc: d\n  condition: evt.type = open and\n  output: o\n  priority: INFO\n');
  assert.equal(bad.statusCode, 400);
  const e = bad.json().errors[0] as { code: string; line: number; file: string };
  assert.deepEqual([e.code, e.line, e.file], ['LOAD_ERR_COMPILE_CONDITION', 3, 'mine.yaml']);
  assert.equal((await up('../escape.yaml', '[]')).json().errors[0].jsonPath, '$.name');
  // a macro of the rules in force is usable from the upload; alone the file would not load
  assert.equal((await app.inject({ method: 'POST', url: '/api/v1/rules/validate', headers: h(tok.read), payload: { content: '- rule: r\n  desc: d\n  condition: vigil_spawned_process\n  output: o\n  priority: INFO\n' } })).json().ok, false);
  const good = await up('mine.yaml', `- rule: uploaded rule\n  desc: d\n  condition: vigil_spawned_process and proc.name = nc\n  output: nc ran\n  priority: WARNING\n`);
  assert.equal(good.statusCode, 201, good.body);
  const rules = (await app.inject({ url: '/api/v1/rules', headers: h(tok.read) })).json() as { uploaded: string[] };
  assert.deepEqual(rules.uploaded, [join(dir, 'rules', 'mine.yaml')]);
});

test('int64 alert fields (Falco nanosecond times) come back exact from the list, one alert, the summary and the live stream', async () => {
  const big = 1470327477882054739n;
  const a: Alert = { hostname: 'h', output: 'big one', priority: 'Debug', rule: 'Big', source: 'syscall', tags: [], time: '2016-08-04T16:17:57.882054739Z', output_fields: { 'evt.time': big as unknown as number } };
  const res = await app.inject({ url: '/api/v1/stream', headers: h(tok.read), payloadAsStream: true });
  let streamed = '';
  res.stream().on('data', (d: Buffer) => (streamed += d));
  const id = await submit(a);
  bus.publish({ id, ts: alertTimeMs(a.time), alert: a });
  for (const url of [`/api/v1/alerts?rule=Big`, `/api/v1/alerts/${id}`, '/api/v1/alerts/summary?rule=Big']) {
    const r = await app.inject({ url, headers: h(tok.read) });
    assert.equal(r.statusCode, 200, r.body);
    assert.match(r.body, /"evt.time":1470327477882054739[,}]/, url);
  }
  for (let i = 0; i < 50 && !streamed.includes('Big'); i++) await new Promise((r) => setTimeout(r, 20));
  assert.match(streamed, /"evt.time":1470327477882054739[,}]/);
  res.stream().destroy();
  // what vigil up does on stop: end every live stream
  for (const s of streams) s.end();
});
