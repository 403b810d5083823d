/**
 * The demo, for real on this host: a Debian image (debootstrap + umoci, with netcat) runs under
 * containerd + runc with the labels a Kubernetes pod has; `vigil run` (the CLI, -o json, the
 * official rules with the incubating network-tool rule, and Vigil's default rules) watches with
 * the eBPF sensor; `nc` inside the container raises the network-tool alert naming the container
 * id, image, pod and namespace. Also when nc is the container's very first process (its
 * metadata can only just have arrived).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { projectPath } from '../../src/core/index.ts';
import { sensorProblems } from '../../src/sources/index.ts';
import { needConformance } from '../conformance/helpers.ts';
import { containerdProblem, ensureNetToolsImage, startPod, type TestPod } from './runtime.ts';

const rules = needConformance('falco', 'rules');
const why = containerdProblem() ?? sensorProblems().map((p) => `${p.code}: ${p.message}`).join('; ');
if (why) console.log(`# SKIP network-tool demo: ${why}`);
const skip = why || rules.skip;

const OFFICIAL = 'Launch Suspicious Network Tool in Container';
const VIGIL = 'Network Tool Launched in Container';

interface JsonAlert {
  rule: string;
  output: string;
  output_fields: Record<string, unknown>;
}

/** `vigil run` as a child, its alerts collected. */
function startVigil(): { alerts: JsonAlert[]; err: string[]; ready: Promise<void>; stop(): Promise<number>; waitFor(f: (a: JsonAlert) => boolean, ms: number): Promise<JsonAlert> } {
  const official = `${rules.path}/falco_rules.yaml`;
  const incubating = `${rules.path}/falco-incubating_rules.yaml`;
  const child = spawn(process.execPath, [
    projectPath('bin', 'vigil.mjs'), 'run', '-o', 'json', '--rule-matching', 'all',
    '-r', official, '-r', incubating, '-r', projectPath('test', 'containers', 'fixtures', 'container-output.yaml'), '-r', projectPath('rules', 'vigil_rules.yaml'),
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  const alerts: JsonAlert[] = [];
  const err: string[] = [];
  const listeners = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (l) => {
    try {
      alerts.push(JSON.parse(l) as JsonAlert);
    } catch {
      err.push(`stdout: ${l}`);
    }
    for (const f of listeners) f();
  });
  createInterface({ input: child.stderr! }).on('line', (l) => { err.push(l); for (const f of listeners) f(); });
  const exited = new Promise<number>((r) => child.on('exit', (c) => r(c ?? 128)));
  const until = (cond: () => boolean, ms: number, what: string) => new Promise<void>((resolve, reject) => {
    const check = () => {
      if (cond()) { done(); resolve(); }
    };
    const done = () => { listeners.delete(check); clearTimeout(t); };
    const t = setTimeout(() => { done(); reject(new Error(`timed out waiting for ${what}; stderr:\n${err.slice(-15).join('\n')}`)); }, ms);
    listeners.add(check);
    void exited.then((c) => { done(); reject(new Error(`vigil run exited (${c}) while waiting for ${what}:\n${err.slice(-15).join('\n')}`)); });
    check();
  });
  return {
    alerts, err,
    ready: until(() => err.some((l) => /vigil-sensor: attached/.test(l)), 90_000, 'the sensor to attach'),
    waitFor: async (f, ms) => {
      await until(() => alerts.some(f), ms, 'the alert');
      return alerts.find(f)!;
    },
    stop: () => { child.kill('SIGINT'); return exited; },
  };
}

function assertNamesPod(a: JsonAlert, pod: TestPod, podName: string, ns: string): void {
  const f = a.output_fields;
  assert.equal(f['container.id'], pod.container.id.slice(0, 12), 'container id');
  assert.equal(f['container.image.repository'], 'docker.io/vigil/nettools', 'image repository');
  assert.equal(f['container.image.tag'], 'bookworm', 'image tag');
  assert.equal(f['container.name'], 'app', 'container name (Kubernetes container name)');
  assert.equal(f['k8s.pod.name'], podName, 'pod');
  assert.equal(f['k8s.ns.name'], ns, 'namespace');
  assert.equal(f['proc.name'], 'nc');
  assert.match(a.output, new RegExp(`container_id=${pod.container.id.slice(0, 12)} .*k8s_pod_name=${podName} k8s_ns_name=${ns}`));
}

test('nc in a pod-labelled container: the network-tool alerts name container id, image, pod and namespace', { skip, timeout: 900_000 }, async (t) => {
  const image = ensureNetToolsImage();
  const vigil = startVigil();
  const pods: TestPod[] = [];
  try {
    await vigil.ready;

    await t.test('nc exec in a running container', async () => {
      const pod = await startPod({ image, pod: 'web-1', namespace: 'shop', container: 'app', labels: { app: 'web' } });
      pods.push(pod);
      const r = await pod.container.exec(['nc', '-z', '-w', '1', '127.0.0.1', '9']);
      assert.notEqual(r.code, null, `nc ran: ${r.stderr}`);
      const mine = (rule: string) => (a: JsonAlert) => a.rule === rule && a.output_fields['container.id'] === pod.container.id.slice(0, 12);
      assertNamesPod(await vigil.waitFor(mine(OFFICIAL), 30_000), pod, 'web-1', 'shop');
      const own = await vigil.waitFor(mine(VIGIL), 30_000);
      assert.equal(own.output_fields['container.image.repository'], 'docker.io/vigil/nettools');
      assert.match(own.output, new RegExp(`container_id=${pod.container.id.slice(0, 12)} image=docker.io/vigil/nettools`));
    });

    await t.test('nc as the first process of a new container (metadata race)', async () => {
      const pod = await startPod({ image, pod: 'probe-2', namespace: 'ops', container: 'app', cmd: ['nc', '-z', '-w', '1', '127.0.0.1', '9'] });
      pods.push(pod);
      const mine = (a: JsonAlert) => a.rule === OFFICIAL && a.output_fields['container.id'] === pod.container.id.slice(0, 12);
      assertNamesPod(await vigil.waitFor(mine, 30_000), pod, 'probe-2', 'ops');
    });
  } finally {
    for (const p of pods) await p.stop();
    const code = await vigil.stop();
    assert.ok(code === 0 || code === 130, `vigil run stopped cleanly (exit ${code}): ${vigil.err.slice(-5).join('\n')}`);
    assert.ok(vigil.err.some((l) => /^containers: \d+ known from containerd/.test(l)), 'the summary counts the containers');
  }
});

test('vigil run without containerd says so once and keeps detecting', { skip: sensorProblems().length ? 'live sensor unavailable' : false, timeout: 120_000 }, async () => {
  const child = spawn(process.execPath, [projectPath('bin', 'vigil.mjs'), 'run', '-o', 'json', '--containerd-socket', '/nonexistent/containerd.sock', '-r', projectPath('rules', 'vigil_rules.yaml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  const err: string[] = [];
  const exited = new Promise<number>((r) => child.on('exit', (c) => r(c ?? 128)));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`sensor did not attach: ${err.join('\n')}`)), 90_000);
    createInterface({ input: child.stderr! }).on('line', (l) => {
      err.push(l);
      if (/vigil-sensor: attached/.test(l)) { clearTimeout(t); resolve(); }
    });
    void exited.then((c) => { clearTimeout(t); reject(new Error(`vigil run exited (${c}): ${err.join('\n')}`)); });
  });
  child.kill('SIGINT');
  const code = await exited;
  assert.equal(err.filter((l) => l.includes('CONTAINERD_NO_SOCKET')).length, 1, err.join('\n'));
  assert.match(err.find((l) => l.includes('CONTAINERD_NO_SOCKET'))!, /\/nonexistent\/containerd\.sock/);
  assert.ok(code === 0 || code === 130, `clean stop (exit ${code})`);
});
