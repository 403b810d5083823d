/**
 * The container gate between the live scap stream and the engine: a container's first process
 * event waits (bounded) for its metadata, so the rules see image and pod; the bytes pass
 * through unchanged and in order, whatever the chunking.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { Alert } from '../../src/core/index.ts';
import { loadSyscallRulesText, SyscallEngine } from '../../src/engine/index.ts';
import { ContainerGate, Scenario, type ContainerMetadata, type ContainerMetadataSource } from '../../src/sources/index.ts';

const CID = 'ab'.repeat(32);
const RULE = `
- rule: net tool in container
  desc: test
  condition: evt.type = execve and evt.dir = < and container.id != host and proc.name = nc
  output: "nc in %container.id image=%container.image.repository tag=%container.image.tag pod=%k8s.pod.name ns=%k8s.ns.name app=%k8s.pod.label[app] app2=%k8s.pod.label.app name=%container.name"
  priority: NOTICE
`;

const META: ContainerMetadata = {
  id: CID.slice(0, 12), fullId: CID, type: 'containerd', name: 'app', image: 'docker.io/vigil/nettools:bookworm', labels: { 'io.kubernetes.pod.name': 'web-1' },
  pod: { name: 'web-1', namespace: 'shop', uid: 'u-1', containerName: 'app', labels: { app: 'web' } },
};

/** A metadata source answering `meta` after `delayMs` (null: the runtime does not know the container). */
function source(delayMs: number, meta: ContainerMetadata | null = META): ContainerMetadataSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    cached: () => undefined,
    lookup: (id) => {
      calls.push(id);
      return new Promise((r) => setTimeout(() => r(meta ?? undefined), delayMs));
    },
  };
}

function capture(): Buffer {
  return new Scenario([{ tid: 1, pid: 1, ptid: 0, comm: 'init', exe: '/sbin/init', args: [] }] as never)
    .execve(100, 100, 1, '/usr/bin/ls', ['/'], { cgroups: ['cpuset=/'] })
    .execve(200, 200, 1, '/usr/bin/nc', ['-z', '127.0.0.1', '9'], { cgroups: [`cpuset=/k8s.io/${CID}`, `memory=/k8s.io/${CID}`] })
    .execve(200, 200, 1, '/usr/bin/nc', ['-h'], { cgroups: [`cpuset=/k8s.io/${CID}`] })
    .bytes();
}

function chunks(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

async function runThrough(buf: Buffer, src: ContainerMetadataSource, chunkSize: number, holdMs = 2000): Promise<{ alerts: Alert[]; gate: ContainerGate; out: Buffer }> {
  const { ruleset, result } = loadSyscallRulesText([{ name: 'r.yaml', content: RULE }]);
  assert.ok(result.ok, JSON.stringify(result.errors));
  const alerts: Alert[] = [];
  const engine = new SyscallEngine(ruleset, { onAlert: (a) => alerts.push(a), hostname: 'h' });
  const gate = new ContainerGate(engine.state, src, { holdMs });
  const seen: Buffer[] = [];
  gate.on('data', (d: Buffer) => seen.push(Buffer.from(d)));
  // the engine reads a paused copy: the tee above records exactly what the gate emitted
  const input = Readable.from(chunks(buf, chunkSize));
  const tee = new Readable({ read() {} });
  gate.on('data', (d: Buffer) => tee.push(d));
  gate.on('end', () => tee.push(null));
  input.pipe(gate);
  await engine.run(tee, 'live');
  return { alerts, gate, out: Buffer.concat(seen) };
}

test('a slow lookup holds the first event of a new container: the alert has image and pod', async () => {
  const src = source(80);
  const { alerts, gate } = await runThrough(capture(), src, 1 << 16);
  assert.equal(alerts.length, 2);
  assert.match(alerts[0].output, new RegExp(`nc in ${CID.slice(0, 12)} image=docker.io/vigil/nettools tag=bookworm pod=web-1 ns=shop app=\\S+ app2=\\S+ name=app`));
  assert.match(alerts[1].output, /pod=web-1 ns=shop/, 'later events of the container keep the metadata');
  assert.deepEqual(src.calls, [CID], 'one lookup, by full id; the host exec is not looked up');
  assert.deepEqual({ held: gate.stats.held, resolved: gate.stats.resolved, timedOut: gate.stats.timedOut }, { held: 1, resolved: 1, timedOut: 0 });
});

// The pod's labels live on the sandbox and reach the state as pod facts, not on the container itself.
test('k8s.pod.label reads the pod labels (from the sandbox), not the container labels', async () => {
  const { alerts } = await runThrough(capture(), source(5), 1 << 16);
  assert.match(alerts[0].output, /app=web app2=web/);
});

test('the bytes pass through unchanged and in order, in any chunking', async () => {
  const buf = capture();
  for (const size of [1, 7, 64, 333, buf.length]) {
    const { alerts, out } = await runThrough(buf, source(5), size);
    assert.ok(out.equals(buf), `chunk size ${size}: output differs`);
    assert.equal(alerts.length, 2, `chunk size ${size}`);
    assert.match(alerts[0].output, /pod=web-1 ns=shop/, `chunk size ${size}`);
  }
});

test('a lookup slower than the hold lets the event go on without metadata (bounded wait)', async () => {
  const { alerts, gate } = await runThrough(capture(), source(400), 1 << 16, 30);
  assert.equal(alerts.length, 2);
  assert.match(alerts[0].output, /image=<NA>/);
  assert.equal(gate.stats.timedOut, 1);
  assert.equal(gate.stats.held, 1, 'the second event of the same container does not wait again');
});

test('cached metadata is applied without waiting; unknown containers are looked up once', async () => {
  const cached: ContainerMetadataSource = { cached: (id) => (id === CID ? META : undefined), lookup: () => Promise.reject(new Error('must not be called')) };
  const a = await runThrough(capture(), cached, 1 << 16);
  assert.equal(a.gate.stats.held, 0);
  assert.match(a.alerts[0].output, /pod=web-1/);
  const none = source(1, null);
  const b = await runThrough(capture(), none, 1 << 16);
  assert.equal(none.calls.length, 1, 'a container the runtime does not know is not asked again at once');
  assert.match(b.alerts[0].output, /image=<NA> .*pod=<NA>/);
});

test('garbage input passes through to the engine, which reports it; no hang', async () => {
  const garbage = Buffer.concat([capture().subarray(0, 40), Buffer.from('not a scap block at all, just bytes')]);
  await assert.rejects(runThrough(garbage, source(1), 16), (e: Error & { code?: string }) => /^SCAP_/.test(e.code ?? ''));
});
