import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import dgram from 'node:dgram';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SqliteStore, newId, sampleAlert, type Store } from '../store/index.ts';
import { ActivityExporter, ActivityRecorder, activityForAlert, runAuditQuery, toActivityQuery, type ActivityEvent, type LinkedActivity } from './index.ts';

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n + 123n;
const FULL = 'a'.repeat(12) + 'b'.repeat(52);

function events(): ActivityEvent[] {
  const ctx = { containerId: FULL, pod: 'web-0', namespace: 'prod', user: 'root', uid: 0 };
  return [
    { kind: 'exec', ts: ns(T0), pid: 10, ppid: 1, comm: 'sh', exe: '/bin/sh', cmdline: 'sh -c curl evil', cwd: '/app', parentChain: [{ pid: 1, comm: 'nginx' }], ...ctx },
    { kind: 'net', ts: ns(T0 + 10), pid: 11, ppid: 10, comm: 'curl', net: { direction: 'out', proto: 'tcp', srcIp: '10.0.0.5', srcPort: 40000, dstIp: '1.2.3.4', dstPort: 443 }, ...ctx },
    { kind: 'net', ts: ns(T0 + 20), pid: 11, ppid: 10, comm: 'curl', net: { direction: 'out', proto: 'tcp', srcIp: '10.0.0.5', srcPort: 40001, dstIp: '1.2.3.4', dstPort: 443 }, ...ctx },
    { kind: 'file', ts: ns(T0 + 30), pid: 12, comm: 'sh', file: { op: 'write', path: '/etc/passwd' }, ...ctx },
    { kind: 'file', ts: ns(T0 + 31), pid: 12, comm: 'sh', file: { op: 'write', path: '/etc/passwd' }, ...ctx },
    { kind: 'file', ts: ns(T0 + 32), pid: 12, comm: 'sh', file: { op: 'write', path: '/tmp/scratch' }, ...ctx },
    { kind: 'file', ts: ns(T0 + 33), pid: 12, comm: 'mv', file: { op: 'rename', path: '/tmp/x', target: '/usr/bin/ls' }, ...ctx },
    { kind: 'exec', ts: ns(T0 + 40), pid: 20, ppid: 1, comm: 'cron', cmdline: 'cron -f' },
    { kind: 'exec', ts: ns(T0 + 50), pid: 21, ppid: 1, comm: 'noisy', cmdline: 'noisy' },
  ];
}

async function filled(): Promise<{ store: Store; rec: ActivityRecorder }> {
  const store = new SqliteStore(':memory:');
  await store.migrate();
  const rec = new ActivityRecorder(store, { excludeComms: ['noisy'] });
  for (const e of events()) rec.record(e);
  await rec.flush();
  return { store, rec };
}

test('recorder keeps execs and connections, file changes only under sensitive paths, drops repeats', async () => {
  const { store, rec } = await filled();
  const all = await store.queryActivity();
  assert.deepEqual(all.map((a) => `${a.kind}:${a.comm}`), ['exec:sh', 'net:curl', 'net:curl', 'file:sh', 'file:mv', 'exec:cron']);
  assert.deepEqual(rec.counts, { kept: 6, filtered: 2, repeats: 1, failed: 0 });
  const first = all[0];
  assert.equal(first.containerId, 'aaaaaaaaaaaa'); // Falco's 12-char container.id
  assert.equal(first.tsNs, `${T0}000123`);
  assert.equal(first.ts, T0);
  assert.deepEqual(first.parentChain, [{ pid: 1, comm: 'nginx' }]);
  assert.equal(first.cwd, '/app');
  assert.deepEqual(all[4].detail, { op: 'rename', path: '/tmp/x', target: '/usr/bin/ls' });
  assert.equal(all[5].containerId, undefined);
  await store.close();
});

test('recorder survives odd input', async () => {
  const store = new SqliteStore(':memory:');
  await store.migrate();
  const rec = new ActivityRecorder(store);
  assert.equal(rec.record({ kind: 'exec', ts: 'not a number', pid: 1, comm: 'x' }), false);
  assert.equal(rec.record({ kind: 'file', ts: 1, pid: 1, comm: 'x' }), false);
  assert.equal(rec.record({ kind: 'bogus' as 'exec', ts: 1, pid: 1, comm: 'x' }), false);
  await rec.close();
  assert.equal((await store.queryActivity()).length, 0);
  await store.close();
});

test('queries by container (full or short id), pod, type and time', async () => {
  const { store } = await filled();
  const now = T0 + 3_600_000;
  const q = (x: Parameters<typeof runAuditQuery>[1]) => runAuditQuery(store, { now, ...x });
  assert.equal((await q({ container: FULL })).length, 5);
  assert.equal((await q({ container: 'aaaaaaaaaaaa', types: ['net'] })).length, 2);
  assert.equal((await q({ pod: 'prod/web-0', types: ['exec,file'] })).length, 3);
  assert.equal((await q({ pod: 'web-0' })).length, 5);
  assert.equal((await q({ since: '1h' })).length, 6);
  assert.equal((await q({ since: '59m' })).length, 0);
  assert.equal((await q({ since: new Date(T0 + 35).toISOString() })).length, 1);
  assert.throws(() => toActivityQuery({ types: ['exec', 'dns'] }), { code: 'AUDIT_BAD_TYPE' });
  assert.throws(() => toActivityQuery({ since: 'yesterday' }), { code: 'AUDIT_BAD_TIME' });
  assert.throws(() => toActivityQuery({ pod: 'prod/' }), { code: 'AUDIT_BAD_POD' });
  await store.close();
});

test('alerts link to activity of the same container or host process, both ways', async () => {
  const { store } = await filled();
  const inCtr = { id: newId(), ts: T0 + 30, alert: sampleAlert(1, {}, { 'container.id': 'aaaaaaaaaaaa', 'proc.pid': 12 }) };
  const onHost = { id: newId(), ts: T0 + 40, alert: sampleAlert(2, {}, { 'container.id': 'host', 'proc.pid': 20 }) };
  const far = { id: newId(), ts: T0 + 3_600_000, alert: sampleAlert(3, {}, { 'container.id': 'aaaaaaaaaaaa' }) };
  await store.addAlerts([inCtr, onHost, far], []);
  const linked = (await runAuditQuery(store, { now: T0 }, { alerts: true, windowMs: 60_000 })) as LinkedActivity[];
  assert.deepEqual(linked.map((l) => l.alertIds.length), [1, 1, 1, 1, 1, 1]);
  assert.deepEqual(linked[5].alertIds, [onHost.id]);
  assert.deepEqual(linked[0].alertIds, [inCtr.id]);
  assert.deepEqual((await activityForAlert(store, inCtr.id, 60_000)).map((a) => a.comm), ['sh', 'curl', 'curl', 'sh', 'mv']);
  assert.deepEqual((await activityForAlert(store, onHost.id, 60_000)).map((a) => a.comm), ['cron']);
  await assert.rejects(activityForAlert(store, 'missing'), { code: 'AUDIT_NO_ALERT' });
  await store.close();
});

test('export: JSON lines over HTTP from a cursor, then only what is new', async () => {
  const { store, rec } = await filled();
  const bodies: string[] = [];
  const srv = http.createServer((req, res) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => {
      bodies.push(`${req.headers['content-type']}\n${b}`);
      res.end();
    });
  }).listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const ex = new ActivityExporter(store, { kind: 'http', url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/` }, 4);
  const r1 = await ex.exportFrom(0);
  assert.equal(r1.sent, 6);
  assert.equal(bodies.length, 2);
  assert.ok(bodies.every((b) => b.startsWith('application/x-ndjson\n')));
  const lines = bodies.flatMap((b) => b.split('\n').slice(1).filter(Boolean)).map((l) => JSON.parse(l));
  assert.equal(lines[0].cmdline, 'sh -c curl evil');
  assert.equal(lines[0].container_id, 'aaaaaaaaaaaa');
  assert.equal(lines[0].time, '2026-01-01T00:00:00.000Z');
  rec.record({ kind: 'exec', ts: ns(T0 + 99), pid: 99, comm: 'late' });
  await rec.flush();
  const r2 = await ex.exportFrom(r1.cursor);
  assert.equal(r2.sent, 1);
  assert.equal(JSON.parse(bodies[2].split('\n')[1]).comm, 'late');
  srv.close();
  await store.close();
});

test('export: RFC 5424 syslog with the record in structured data', async () => {
  const { store } = await filled();
  const u = dgram.createSocket('udp4');
  const got: string[] = [];
  u.on('message', (b) => got.push(b.toString()));
  u.bind(0, '127.0.0.1');
  await once(u, 'listening');
  const ex = new ActivityExporter(store, { kind: 'syslog', transport: 'udp', port: u.address().port });
  await ex.exportFrom(0);
  for (let i = 0; i < 50 && got.length < 6; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(got.length, 6);
  assert.match(got[0], /^<86>1 2026-01-01T00:00:00\.000Z \S+ vigil \d+ activity-exec \[vigil-activity@32473 id="1" kind="exec" ts_ns="1767225600000000123" pid="10" ppid="1" comm="sh" exe="\/bin\/sh" cmdline="sh -c curl evil" user="root" uid="0" cwd="\/app" container_id="aaaaaaaaaaaa" pod="web-0" namespace="prod" parent_chain="nginx\[1\\]"\] exec sh -c curl evil by sh\[10\] user=root container=aaaaaaaaaaaa pod=prod\/web-0$/);
  assert.match(got[1], /direction="out" proto="tcp" src="10\.0\.0\.5:40000" dst="1\.2\.3\.4:443"\] connect tcp 10\.0\.0\.5:40000 -> 1\.2\.3\.4:443/);
  await ex.close();
  u.close();
  await store.close();
});

const RS = process.env.VIGIL_RSYSLOG_DIR ?? '/var/tmp/vigil-rsyslog';
function rsyslogDown(): string | undefined {
  try {
    process.kill(Number(readFileSync(join(RS, 'pid'), 'utf8')), 0);
    return undefined;
  } catch {
    return `rsyslog not running (no live pid in ${RS}); run .ci/services/rsyslog.sh`;
  }
}
const rsSkip = rsyslogDown();
if (rsSkip) console.log(`# SKIP rsyslog export: ${rsSkip}`);
test('export: rsyslog parses the activity structured data', { skip: rsSkip }, async () => {
  const store = new SqliteStore(':memory:');
  await store.migrate();
  const mark = randomBytes(4).toString('hex');
  const rec = new ActivityRecorder(store);
  rec.record({ kind: 'exec', ts: ns(T0), pid: 7, comm: 'sh', cmdline: `echo "${mark}" ]`, containerId: 'c1' });
  await rec.flush();
  const ex = new ActivityExporter(store, { kind: 'syslog', transport: 'tcp', port: Number(process.env.VIGIL_RSYSLOG_PORT ?? 5514) });
  await ex.exportFrom(0);
  await ex.close();
  let line = '';
  for (let i = 0; i < 100 && !line; i++) {
    line = readFileSync(join(RS, 'tcp.log'), 'utf8').split('\n').find((l) => l.includes(mark)) ?? '';
    if (!line) await new Promise((r) => setTimeout(r, 50));
  }
  const parts = line.split('|');
  assert.equal(parts[0], '1');
  assert.equal(parts[6], 'activity-exec');
  assert.ok(parts[7].startsWith(`[vigil-activity@32473 id="1" kind="exec"`), parts[7]);
  assert.ok(parts[7].includes(`cmdline="echo \\"${mark}\\" \\]"`), parts[7]);
  await store.close();
});
