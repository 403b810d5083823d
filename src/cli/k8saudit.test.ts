import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../core/index.ts';
import { needConformance } from '../../test/conformance/helpers.ts';
import { parseListen } from './k8saudit.ts';

const rules = needConformance('falco', 'rules', 'k8s_audit_rules.yaml');
const data = needConformance('falco', 'k8saudit');
const skip = rules.skip || data.skip;
const env = { ...process.env, FALCO_HOSTNAME: 'test-host' };

function vigil(args: string[], input?: string) {
  return spawnSync(process.execPath, [projectPath('bin', 'vigil.mjs'), ...args], { encoding: 'utf8', env, input });
}

test('--listen forms', () => {
  assert.deepEqual(parseListen('127.0.0.1:9765'), { host: '127.0.0.1', port: 9765 });
  assert.deepEqual(parseListen(':80'), { host: '0.0.0.0', port: 80 });
  assert.deepEqual(parseListen('[::1]:9765'), { host: '::1', port: 9765 });
  assert.equal(parseListen('9765'), undefined);
  assert.equal(parseListen('x:99999'), undefined);
});

test('vigil k8saudit replay: alerts on stdout, summary and bad lines on stderr', { skip }, () => {
  const r = vigil(['k8saudit', 'replay', '-r', rules.path, join(data.path, 'create_configmap_sensitive_values.json')]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 6);
  assert.match(r.stdout, /Warning K8s configmap with private credential/);
  assert.match(r.stderr, /Create\/Modify Configmap With Private Credentials: 6/);
  const json = vigil(['k8saudit', 'replay', '-q', '-o', 'json', '-r', rules.path, join(data.path, 'attach_pod.json')]);
  const alert = JSON.parse(json.stdout) as { rule: string; hostname: string; source: string };
  assert.deepEqual([alert.rule, alert.hostname, alert.source], ['Attach/Exec Pod', 'test-host', 'k8s_audit']);
  const bad = vigil(['k8saudit', 'replay', '-q', '-r', rules.path, '-'], '{"kind":"Event"}\n');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /stdin:1 \$\.stageTimestamp: error K8SAUDIT_BAD_EVENT/);
  assert.equal(vigil(['k8saudit', 'replay', join(data.path, 'attach_pod.json')]).status, 2); // no rules
});

test('vigil k8saudit serve refuses to run without authentication', { skip }, () => {
  const r = vigil(['k8saudit', 'serve', '-r', rules.path, '--listen', '127.0.0.1:0']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /refusing to accept unauthenticated senders/);
});

test('vigil k8saudit serve: token-authenticated posts raise alerts, SIGTERM stops it', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-k8saudit-cli-'));
  writeFileSync(join(dir, 'token'), 'cli-token\n');
  const child = spawn(process.execPath, [projectPath('bin', 'vigil.mjs'), 'k8saudit', 'serve', '-r', rules.path, '--listen', '127.0.0.1:0', '--token-file', join(dir, 'token'), '-o', 'json'], { env });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (c: Buffer) => {
        err += c.toString();
        const m = /listening on (\S+)/.exec(err);
        if (m) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`exited: ${err}`)));
    });
    const body = `{"kind":"EventList","items":[${spawnSync('head', ['-1', join(data.path, 'attach_pod.json')], { encoding: 'utf8' }).stdout.trim()}]}`;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer cli-token' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.end(body);
    });
    assert.equal(status, 200);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, err);
    assert.equal((JSON.parse(out.trim()) as { rule: string }).rule, 'Attach/Exec Pod');
    assert.match(err, /1 events, 1 alerts/);
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
