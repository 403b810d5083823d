/**
 * The exit drain of the detection commands: `vigil k8saudit serve --db` keeps what a down
 * HTTP target did not get and sends it on the next start; the wait is
 * outbox.drain_timeout_seconds, and --drain-timeout wins over it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, Receiver } from '../support/receiver.ts';
import { needConformance } from '../conformance/helpers.ts';
import { outputsOfLines, postWithToken, startVigil, until, writeDeliveryConfig } from './support.ts';

const legacy = needConformance('falco', 'legacy');
const scap = needConformance('falco', 'scap');
const k8sRules = needConformance('falco', 'rules', 'k8s_audit_rules.yaml');
const k8sData = needConformance('falco', 'k8saudit');
const env = { FALCO_HOSTNAME: 'test-host' };

test('vigil k8saudit serve --db: alerts an HTTP target did not get before exit go out on the next start', { skip: k8sRules.skip || k8sData.skip, timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-serve-db-'));
  const rx = new Receiver();
  rx.port = await freePort(); // chosen, not listening: the target is down
  const file = join(k8sData.path, 'create_configmap_sensitive_values.json');
  try {
    writeFileSync(join(dir, 'token'), 'serve-token\n');
    const { config } = writeDeliveryConfig(dir, rx.url);
    const db = join(dir, 'vigil.db');
    const args = ['k8saudit', 'serve', '-r', k8sRules.path, '--listen', '127.0.0.1:0', '--token-file', join(dir, 'token'), '-c', config, '--db', db, '--drain-timeout', '0.5'];
    const first = startVigil(args, env);
    const url = /listening on (\S+)/.exec(await first.stderrLine(/listening on/))![1]!;
    const items = readFileSync(file, 'utf8').trim().split('\n').join(',');
    assert.equal(await postWithToken(url, 'serve-token', `{"kind":"EventList","items":[${items}]}`), 200);
    await first.stderrLine(/channel-failed http/);
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0, first.err.join('\n'));
    const expected = outputsOfLines(first.out).sort();
    assert.equal(expected.length, 6);
    assert.match(first.err.join('\n'), /outbox drain timed out after 0\.5 s .*; 6 deliveries pending, kept in .*vigil\.db/);
    assert.equal(rx.ids.size, 0);
    await rx.up(rx.port);
    const second = startVigil(args, env);
    await second.stderrLine(/listening on/);
    await until(() => rx.ids.size >= 6, 'the kept alerts at the receiver');
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0, second.err.join('\n'));
    assert.equal(rx.ids.size, 6, 'each kept alert once');
    assert.deepEqual([...new Map(rx.got.map((g) => [g.id, String(g.body.output)])).values()].sort(), expected);
    assert.deepEqual(second.out, [], 'the second run detected nothing itself');
  } finally {
    await rx.down();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('drain wait: outbox.drain_timeout_seconds from -c, --drain-timeout wins; without --db the rest is reported lost', { skip: legacy.skip || scap.skip, timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-drain-'));
  const port = await freePort(); // nothing listens there
  try {
    const config = (name: string, seconds: number): string => {
      const path = join(dir, name);
      writeFileSync(path, [
        'json_output: true',
        `http_output: {enabled: true, url: "http://127.0.0.1:${port}/"}`,
        'syslog_output: {enabled: false}',
        'append_output: []',
        `outbox: {retry_base_ms: 100, retry_max_ms: 400, drain_timeout_seconds: ${seconds}}`,
        '',
      ].join('\n'));
      return path;
    };
    const args = ['-q', '-r', join(legacy.path, 'rules', 'SingleRule__single_rule.yaml'), join(scap.path, 'falco-0.34.1', 'cat_write.scap')];
    const fromFile = startVigil(['replay', '-c', config('short.yaml', 0.5), ...args], env);
    assert.equal(await fromFile.exited, 0, fromFile.err.join('\n'));
    assert.match(fromFile.err.join('\n'), /outbox drain timed out after 0\.5 s .*; 4 deliveries pending are lost \(give --db to keep them\)/);
    // a file value that would hold the test for an hour: the flag must win
    const flag = startVigil(['replay', '-c', config('long.yaml', 3600), '--drain-timeout', '0.25', ...args], env);
    assert.equal(await flag.exited, 0, flag.err.join('\n'));
    assert.match(flag.err.join('\n'), /outbox drain timed out after 0\.25 s/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
