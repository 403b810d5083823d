/**
 * `vigil replay` and `vigil k8saudit replay` with -c: alerts reach a file output and an HTTP
 * receiver that is down when the replay starts; stdout stays what it is without -c; a missing
 * syslog socket is one warning, not a failure; with --db, alerts a target did not get when the
 * run was interrupted go out on the next run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, Receiver } from '../support/receiver.ts';
import { needConformance } from '../conformance/helpers.ts';
import { outputsOfFile, outputsOfLines, startVigil, writeDeliveryConfig } from './support.ts';

const legacy = needConformance('falco', 'legacy');
const scap = needConformance('falco', 'scap');
const k8sRules = needConformance('falco', 'rules', 'k8s_audit_rules.yaml');
const k8sData = needConformance('falco', 'k8saudit');
const env = { FALCO_HOSTNAME: 'test-host' };

/** A receiver whose port is chosen but not yet listening: the target is down. */
async function downReceiver(): Promise<Receiver> {
  const rx = new Receiver();
  rx.port = await freePort();
  return rx;
}

/** Runs `args` bare (-o json) and with -c; the HTTP target comes up only after vigil saw it fail. */
async function deliversWithTargetDownAtFirst(command: string[], args: string[], expected: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-delivery-'));
  const rx = await downReceiver();
  try {
    const { config, events } = writeDeliveryConfig(dir, rx.url);
    const bare = startVigil([...command, '-q', '-o', 'json', ...args], env);
    assert.equal(await bare.exited, 0, bare.err.join('\n'));
    const v = startVigil([...command, '-q', '-c', config, ...args], env);
    await v.stderrLine(/channel-failed http/);
    await rx.up(rx.port);
    assert.equal(await v.exited, 0, v.err.join('\n'));
    assert.deepEqual(v.out, bare.out, 'stdout is the same with and without -c');
    const printed = outputsOfLines(bare.out).sort();
    assert.equal(printed.length, expected);
    assert.deepEqual(outputsOfFile(events).sort(), printed, 'file_output got every alert');
    assert.equal(rx.ids.size, expected, 'the receiver got every alert once it was up');
    assert.deepEqual([...new Map(rx.got.map((g) => [g.id, String(g.body.output)])).values()].sort(), printed);
    assert.equal(v.err.filter((l) => l.includes('OUTPUT_SYSLOG_NO_SOCKET')).length, 1, v.err.join('\n'));
  } finally {
    await rx.down();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('vigil replay -c: file and http outputs get every alert (http down at first), stdout unchanged', { skip: legacy.skip || scap.skip, timeout: 120_000 }, async () => {
  const args = ['-r', join(legacy.path, 'rules', 'SingleRule__single_rule.yaml'), join(scap.path, 'falco-0.34.1', 'cat_write.scap')];
  await deliversWithTargetDownAtFirst(['replay'], args, 4);
});

test('vigil k8saudit replay -c: file and http outputs get every alert (http down at first), stdout unchanged', { skip: k8sRules.skip || k8sData.skip, timeout: 120_000 }, async () => {
  const args = ['-r', k8sRules.path, join(k8sData.path, 'create_configmap_sensitive_values.json')];
  await deliversWithTargetDownAtFirst(['k8saudit', 'replay'], args, 6);
});

test('vigil replay --db: deliveries left when Ctrl-C stopped the wait go out on the next run', { skip: legacy.skip || scap.skip, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-durable-'));
  const rx = await downReceiver();
  try {
    const { config, events } = writeDeliveryConfig(dir, rx.url);
    const db = join(dir, 'vigil.db');
    const args = ['-q', '--db', db, '-c', config, '-r', join(legacy.path, 'rules', 'SingleRule__single_rule.yaml'), join(scap.path, 'falco-0.34.1', 'cat_write.scap')];
    const first = startVigil(['replay', ...args], env);
    await first.stderrLine(/waiting to deliver \d+ pending/);
    first.child.kill('SIGINT');
    assert.equal(await first.exited, 0, first.err.join('\n'));
    assert.match(first.err.join('\n'), /delivery interrupted; 4 deliveries pending, kept in .*vigil\.db/);
    assert.equal(outputsOfFile(events).length, 4, 'the file output was not held up by the down target');
    assert.equal(rx.ids.size, 0);
    await rx.up(rx.port);
    const second = startVigil(['replay', ...args], env);
    assert.equal(await second.exited, 0, second.err.join('\n'));
    // 4 left by the interrupted run (their ids were stored) and 4 of this run
    assert.equal(rx.ids.size, 8);
    assert.equal(new Set(rx.got.map((g) => String(g.body.output))).size, 4);
    assert.equal(outputsOfFile(events).length, 8);
  } finally {
    await rx.down();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('vigil replay -c: append_output from the config (Falco 0.41 default: suggested fields) shapes every output', { skip: legacy.skip || scap.skip, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-append-'));
  try {
    const { config, events } = writeDeliveryConfig(dir, undefined, 'vigil.yaml', []);
    const args = ['-q', '-r', join(legacy.path, 'rules', 'SingleRule__single_rule.yaml'), join(scap.path, 'falco-0.34.1', 'cat_write.scap')];
    const bare = startVigil(['replay', '-o', 'json', ...args], env);
    const v = startVigil(['replay', '-c', config, ...args], env);
    assert.equal(await bare.exited, 0, bare.err.join('\n'));
    assert.equal(await v.exited, 0, v.err.join('\n'));
    const plain = outputsOfLines(bare.out);
    const appended = outputsOfLines(v.out);
    assert.equal(appended.length, 4);
    assert.deepEqual(appended.map((o, i) => o.startsWith(`${plain[i]} container_id=host container_name=host`)), [true, true, true, true], appended.join('\n'));
    assert.deepEqual(outputsOfFile(events), appended, 'the file output carries the same appended outputs');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
