/**
 * The long-running detection commands with -c: `vigil k8saudit serve` and `vigil run` (root and
 * the built sensor; skipped with the reason otherwise) deliver every alert to a file output and
 * to an HTTP receiver that is down when they start, print the same alerts on stdout, and on
 * SIGTERM deliver what they accepted before exiting 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, Receiver } from '../support/receiver.ts';
import { needConformance } from '../conformance/helpers.ts';
import { sensorSkip } from '../sensor/support.ts';
import { outputsOfFile, outputsOfLines, postWithToken, startVigil, writeDeliveryConfig } from './support.ts';

const k8sRules = needConformance('falco', 'rules', 'k8s_audit_rules.yaml');
const k8sData = needConformance('falco', 'k8saudit');
const env = { FALCO_HOSTNAME: 'test-host' };

test('vigil k8saudit serve -c: posted events alert to stdout, file and an HTTP target down at first; SIGTERM delivers before exit', { skip: k8sRules.skip || k8sData.skip, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-serve-'));
  const rx = new Receiver();
  rx.port = await freePort();
  const file = join(k8sData.path, 'create_configmap_sensitive_values.json');
  try {
    writeFileSync(join(dir, 'token'), 'serve-token\n');
    const { config, events } = writeDeliveryConfig(dir, rx.url);
    const bare = startVigil(['k8saudit', 'replay', '-q', '-o', 'json', '-r', k8sRules.path, file], env);
    assert.equal(await bare.exited, 0, bare.err.join('\n'));
    const expected = outputsOfLines(bare.out).sort();
    assert.equal(expected.length, 6);
    const v = startVigil(['k8saudit', 'serve', '-r', k8sRules.path, '--listen', '127.0.0.1:0', '--token-file', join(dir, 'token'), '-c', config], env);
    const url = /listening on (\S+)/.exec(await v.stderrLine(/listening on/))![1]!;
    const items = readFileSync(file, 'utf8').trim().split('\n').join(',');
    assert.equal(await postWithToken(url, 'serve-token', `{"kind":"EventList","items":[${items}]}`), 200);
    await v.stderrLine(/channel-failed http/);
    await rx.up(rx.port);
    v.child.kill('SIGTERM');
    assert.equal(await v.exited, 0, v.err.join('\n'));
    assert.deepEqual(outputsOfLines(v.out).sort(), expected, 'stdout prints the alerts as k8saudit replay does');
    assert.deepEqual(outputsOfFile(events).sort(), expected);
    assert.equal(rx.ids.size, 6);
    assert.deepEqual([...new Set(rx.got.map((g) => String(g.body.output)))].sort(), [...new Set(expected)].sort());
    assert.match(v.err.join('\n'), /6 events, 6 alerts/);
  } finally {
    await rx.down();
    rmSync(dir, { recursive: true, force: true });
  }
});

const skipLive = sensorSkip();

test('vigil run -c: live alerts reach stdout, file and an HTTP target down at first; SIGTERM delivers before exit', { skip: skipLive, timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-run-'));
  const rx = new Receiver();
  rx.port = await freePort();
  try {
    const rules = join(dir, 'marker.yaml');
    writeFileSync(rules, `- rule: vigil delivery marker\n  desc: a marker file was opened\n  condition: evt.type in (open, openat) and fd.name startswith ${dir}/marker\n  output: "marker opened %fd.name by %proc.name"\n  priority: WARNING\n`);
    const { config, events } = writeDeliveryConfig(dir, rx.url);
    const v = startVigil(['run', '--no-containers', '-r', rules, '-c', config]);
    try {
      await v.stderrLine(/vigil-sensor: attached/);
      const touch = async (name: string) => {
        execFileSync('cat', [join(dir, 'marker.yaml')]); // not a marker: no alert
        writeFileSync(join(dir, name), name);
        execFileSync('cat', [join(dir, name)]);
        await v.stdoutLine(new RegExp(`${name} by cat`));
      };
      await touch('marker-1');
      await v.stderrLine(/channel-failed http/);
      await rx.up(rx.port);
      await touch('marker-2');
      v.child.kill('SIGTERM');
      assert.equal(await v.exited, 0, v.err.slice(-20).join('\n'));
    } finally {
      v.child.kill('SIGKILL');
    }
    const printed = outputsOfLines(v.out).sort();
    // on a loaded machine the sensor may also drop events: its drop alert is printed and delivered like any other
    const markers = printed.filter((o) => !o.includes('syscall event drop'));
    assert.ok(markers.length >= 2, v.out.join('\n'));
    assert.ok(markers.every((o) => o.includes(`${dir}/marker`)), v.out.join('\n'));
    assert.equal(v.err.filter((l) => l.includes('OUTPUT_SYSLOG_NO_SOCKET')).length, 1);
    assert.deepEqual(outputsOfFile(events).sort(), printed, 'file_output got every alert printed');
    assert.equal(rx.ids.size, printed.length, 'the receiver got every alert once it was up');
    assert.deepEqual([...new Map(rx.got.map((g) => [g.id, String(g.body.output)])).values()].sort(), printed);
  } finally {
    await rx.down();
    rmSync(dir, { recursive: true, force: true });
  }
});
