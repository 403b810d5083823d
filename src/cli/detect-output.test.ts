import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ConfigError, projectPath } from '../core/index.ts';
import { sampleAlert } from '../store/index.ts';
import { Receiver } from '../../test/support/receiver.ts';
import { needConformance } from '../../test/conformance/helpers.ts';
import { openAlertSink } from './detect-output.ts';

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return { stream: new Writable({ write(c: Buffer, _e, cb) { chunks.push(c.toString()); cb(); } }), text: () => chunks.join('') };
}

test('openAlertSink: stdout lines as before; an -o enabled http output gets every alert through the outbox', async () => {
  const rx = new Receiver();
  await rx.up();
  const out = sink();
  // Falco posts JSON over http_output only with json_output; the stdout lines are JSON then too
  const s = await openAlertSink({ output: ['json_output=true', 'http_output.enabled=true', `http_output.url=${rx.url}`], stdout: out.stream });
  assert.deepEqual(s.channels, ['http']);
  for (let i = 0; i < 30; i++) s.submit(sampleAlert(i));
  await s.close();
  const printed = out.text().trim().split('\n').map((l) => JSON.parse(l) as { output: string; time: string });
  assert.deepEqual(printed.map((p) => [p.output, p.time]), Array.from({ length: 30 }, (_, i) => [sampleAlert(i).output, sampleAlert(i).time]));
  assert.equal(rx.ids.size, 30);
  assert.equal(rx.got[0].body.rule, sampleAlert(0).rule);
  await rx.down();
});

test('openAlertSink: without -c only stdout; -c enables configured outputs; json keys shape stdout', async () => {
  const bare = await openAlertSink({ stdout: sink().stream });
  assert.deepEqual(bare.channels, []);
  await bare.close();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sink-'));
  try {
    const cfg = join(dir, 'vigil.yaml');
    writeFileSync(cfg, `json_output: true\njson_include_tags_property: false\nsyslog_output: {enabled: false}\nfile_output: {enabled: true, filename: ${join(dir, 'events.txt')}}\n`);
    const out = sink();
    const s = await openAlertSink({ config: cfg, stdout: out.stream });
    assert.deepEqual(s.channels, ['file']);
    s.submit(sampleAlert(1));
    await s.close();
    const line = JSON.parse(out.text()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(line), ['hostname', 'output', 'output_fields', 'priority', 'rule', 'source', 'time']);
    const quiet = sink();
    const off = await openAlertSink({ output: ['stdout_output.enabled=false'], stdout: quiet.stream });
    off.submit(sampleAlert(2));
    await off.close();
    assert.equal(quiet.text(), '');
    await assert.rejects(openAlertSink({ config: cfg, output: ['outputs_queue.capacity=lots'] }), (e: unknown) => e instanceof ConfigError && e.diagnostics[0].jsonPath === '$.outputs_queue.capacity');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const legacy = needConformance('falco', 'legacy');
const scap = needConformance('falco', 'scap');
test('vigil replay -c delivers to the configured http output and prints the same stdout', { skip: legacy.skip || scap.skip }, async () => {
  const rx = new Receiver();
  await rx.up();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-replay-'));
  try {
    const cfg = join(dir, 'vigil.yaml');
    writeFileSync(cfg, `append_output: []\nsyslog_output: {enabled: false}\nhttp_output: {enabled: true, url: "${rx.url}"}\n`);
    const args = ['-q', '-o', 'json_output=true', '-r', join(legacy.path, 'rules', 'SingleRule__single_rule.yaml'), join(scap.path, 'falco-0.34.1', 'cat_write.scap')];
    // spawned asynchronously: the receiver in this process must keep answering
    const run = (...a: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [projectPath('bin', 'vigil.mjs'), 'replay', ...a, ...args]);
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (b) => (stdout += b));
      p.stderr.on('data', (b) => (stderr += b));
      p.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    const plain = await run();
    const withHttp = await run('-c', cfg);
    assert.equal(withHttp.status, 0, withHttp.stderr);
    assert.equal(withHttp.stdout, plain.stdout);
    const lines = plain.stdout.trim().split('\n').map((l) => JSON.parse(l) as { output: string });
    assert.equal(lines.length, 4);
    assert.equal(rx.ids.size, 4);
    assert.deepEqual(rx.got.map((g) => g.body.output).sort(), lines.map((l) => l.output).sort());
  } finally {
    await rx.down();
    rmSync(dir, { recursive: true, force: true });
  }
});
