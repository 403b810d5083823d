import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActivityRecorder } from '../audit/index.ts';
import { SqliteStore } from '../store/index.ts';
import { parseExportTarget } from './audit.ts';

const BIN = join(import.meta.dirname, '../../bin/vigil.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 180_000 });

test('vigil audit query: filters, text and -o json, misuse exits 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-audit-'));
  const db = join(dir, 'v.db');
  const store = new SqliteStore(db);
  await store.migrate();
  const rec = new ActivityRecorder(store);
  const now = BigInt(Date.now()) * 1_000_000n;
  rec.record({ kind: 'exec', ts: now, pid: 5, comm: 'sh', cmdline: 'sh -c id', containerId: 'c0ffee000001', pod: 'web-0', namespace: 'prod' });
  rec.record({ kind: 'net', ts: now, pid: 6, comm: 'curl', containerId: 'c0ffee000001', net: { direction: 'out', proto: 'tcp', dstIp: '1.1.1.1', dstPort: 443 } });
  rec.record({ kind: 'exec', ts: now - 7_200_000_000_000n, pid: 7, comm: 'old' });
  await rec.close();
  await store.close();

  let r = run('audit', 'query', '--db', db, '--pod', 'prod/web-0', '-o', 'json');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n').map((l) => JSON.parse(l).cmdline), ['sh -c id']);
  r = run('audit', 'query', '--db', db, '--container', 'c0ffee000001', '--type', 'net', '--since', '1h');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /net  connect tcp  -> 1\.1\.1\.1:443 by curl\[6\] container=c0ffee000001\n1 records\n$/);
  r = run('audit', 'query', '--db', db, '--since', '3h');
  assert.match(r.stdout, /3 records/);
  r = run('audit', 'query', '--db', db, '--type', 'dns');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /AUDIT_BAD_TYPE/);
  rmSync(dir, { recursive: true });
});

test('export targets', () => {
  assert.deepEqual(parseExportTarget('udp://siem:5514'), { kind: 'syslog', transport: 'udp', host: 'siem', port: 5514 });
  assert.deepEqual(parseExportTarget('tcp://siem'), { kind: 'syslog', transport: 'tcp', host: 'siem', port: 514 });
  assert.deepEqual(parseExportTarget('unix:///dev/log'), { kind: 'syslog', transport: 'unix', path: '/dev/log' });
  assert.deepEqual(parseExportTarget('https://siem/x'), { kind: 'http', url: 'https://siem/x' });
  assert.throws(() => parseExportTarget('ftp://x'), { code: 'CLI_BAD_TARGET' });
});
