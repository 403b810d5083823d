/**
 * The containerd client and the metadata resolver against the real containerd of this host
 * (started by .ci/services/containerd.sh): containers with labels made by ctr are listed and
 * read through Vigil's client; images and blobs; pod mapping; the cache; event refresh; and
 * the coded errors when no daemon is there.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTAINERD_ERRORS, ContainerdClient, ContainerMetadataResolver, type ContainerMeta } from '../../src/k8s/index.ts';
import { VigilError } from '../../src/core/index.ts';
import { CACHE, containerdProblem, ctr, importImage, randomId, removeContainer, SOCKET, startContainer, startPod } from './runtime.ts';

const skip = containerdProblem() ?? false;
if (skip) console.log(`# SKIP containerd client tests: ${skip}`);
const NS = 'vigil-client-test';
const TINY = 'docker.io/vigil/tiny:1';
const cleanup: (() => Promise<void>)[] = [];
after(async () => { for (const f of cleanup.reverse()) await f().catch(() => undefined); });

/** A one-file image, enough for container records (never run). */
function tinyImage(): string {
  const root = join(CACHE, 'rootfs-tiny');
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc', 'tiny-release'), 'vigil tiny test image\n');
  return importImage(NS, TINY, root);
}

async function poll<T>(f: () => T | undefined, ms: number): Promise<T | undefined> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const v = f();
    if (v !== undefined) return v;
  }
  return f();
}

test('List and Get return the containers ctr made, with labels and image', { skip, timeout: 120_000 }, async () => {
  const image = tinyImage();
  const id = randomId();
  const team = `blue-${id.slice(0, 8)}`;
  ctr(NS, ['containers', 'create', '--label', `team=${team}`, '--label', 'io.kubernetes.pod.name=p1', image, id, '/bin/true']);
  cleanup.push(() => removeContainer(NS, id));
  const c = new ContainerdClient({ socket: SOCKET, timeoutMs: 20_000 });
  try {
    assert.match((await c.version()).version, /\d+\.\d+/);
    assert.ok((await c.namespaces()).includes(NS));
    const list = await c.listContainers(NS);
    const mine = list.find((x) => x.id === id);
    assert.ok(mine, 'the new container is listed');
    assert.equal(mine.image, image);
    assert.equal(mine.labels.team, team);
    const got = await c.getContainer(NS, id);
    assert.equal(got.id, id);
    assert.equal(got.labels['io.kubernetes.pod.name'], 'p1');
    assert.ok(got.spec?.value.length, 'the OCI spec comes along');
    assert.ok((got.created_at?.seconds ?? 0) > 1_600_000_000);
    const filtered = await c.listContainers(NS, [`labels.team==${team}`]);
    assert.deepEqual(filtered.map((x) => x.id), [id]);
    await assert.rejects(c.getContainer(NS, randomId()), (e: VigilError) => e.code === CONTAINERD_ERRORS.notFound);
  } finally {
    c.close();
  }
});

test('images and content blobs: list, get, info, read (the scanner reads images this way)', { skip, timeout: 120_000 }, async () => {
  const image = tinyImage();
  const c = new ContainerdClient({ socket: SOCKET, timeoutMs: 20_000 });
  try {
    const imgs = await c.listImages(NS);
    const img = imgs.find((i) => i.name === image);
    assert.ok(img?.target?.digest.startsWith('sha256:'), 'the image has a target digest');
    if (!img) return;
    assert.equal((await c.getImage(NS, image)).target?.digest, img.target!.digest);
    const info = await c.contentInfo(NS, img.target!.digest);
    assert.equal(info.size, img.target!.size);
    const bytes = await c.readBlobBytes(NS, img.target!.digest);
    assert.equal(bytes.length, info.size);
    assert.equal(`sha256:${createHash('sha256').update(bytes).digest('hex')}`, img.target!.digest, 'the blob is what its digest says');
    const manifest = JSON.parse(bytes.toString('utf8')) as { layers?: unknown[]; manifests?: unknown[] };
    assert.ok(manifest.layers || manifest.manifests, 'a manifest or an index');
    const missing = 'sha256:' + '0'.repeat(64);
    await assert.rejects(c.readBlobBytes(NS, missing), (e: VigilError) => e.code === CONTAINERD_ERRORS.notFound);
  } finally {
    c.close();
  }
});

test('resolver: pod facts from CRI labels and the sandbox, by full and short id, cached', { skip, timeout: 120_000 }, async () => {
  const image = tinyImage();
  const uid = 'u-' + randomId().slice(0, 8);
  const sandboxId = randomId();
  const cid = randomId();
  ctr(NS, ['containers', 'create', '--label', 'app=web', '--label', 'io.kubernetes.pod.name=web-7', '--label', 'io.kubernetes.pod.namespace=shop',
    '--label', `io.kubernetes.pod.uid=${uid}`, '--label', 'io.cri-containerd.kind=sandbox', image, sandboxId, '/bin/true']);
  ctr(NS, ['containers', 'create', '--label', 'io.kubernetes.pod.name=web-7', '--label', 'io.kubernetes.pod.namespace=shop', '--label', `io.kubernetes.pod.uid=${uid}`,
    '--label', 'io.kubernetes.container.name=app', '--label', 'io.cri-containerd.kind=container', image, cid, '/bin/true']);
  cleanup.push(() => removeContainer(NS, cid), () => removeContainer(NS, sandboxId));
  const errors: VigilError[] = [];
  const r = new ContainerMetadataResolver({ socket: SOCKET, namespaces: [NS], timeoutMs: 20_000, follow: false, onError: (e) => errors.push(e) });
  try {
    const m = await r.lookup(cid);
    assert.ok(m, 'found by full id');
    assert.equal(m.id, cid.slice(0, 12));
    assert.equal(m.name, 'app');
    assert.equal(m.image, image);
    assert.equal(m.namespace, NS);
    assert.deepEqual(m.pod, { name: 'web-7', namespace: 'shop', uid, containerName: 'app', sandboxId, labels: { app: 'web' } });
    const fetches = r.stats.fetches;
    assert.equal(await r.lookup(cid.slice(0, 12)), m, 'the short id hits the same cache entry');
    assert.equal(r.stats.fetches, fetches, 'no second fetch');
    const r2 = new ContainerMetadataResolver({ socket: SOCKET, namespaces: [NS], follow: false });
    const short = await r2.lookup(cid.slice(0, 12));
    r2.stop();
    assert.equal(short?.fullId, cid, 'a short id alone is resolved through a filtered List');
    assert.equal(await r.lookup(randomId()), undefined, 'unknown ids resolve to undefined');
    assert.deepEqual(errors, []);
  } finally {
    r.stop();
  }
});

test('resolver: start() lists what runs; /tasks/start events add new containers without a lookup', { skip, timeout: 180_000 }, async () => {
  const { ensureNetToolsImage } = await import('./runtime.ts');
  const image = ensureNetToolsImage(NS);
  const updates: ContainerMeta[] = [];
  const r = new ContainerMetadataResolver({ socket: SOCKET, namespaces: [NS], onUpdate: (m) => updates.push(m) });
  try {
    await r.start();
    const lookups = r.stats.lookups;
    const p = await startPod({ image, ns: NS, pod: 'nc-1', namespace: 'tools', container: 'nc', labels: { app: 'nettools' } });
    cleanup.push(() => p.stop());
    const m = await poll(() => r.cached(p.container.id), 10_000);
    assert.ok(m, 'the event stream brought the new container');
    assert.equal(r.stats.lookups, lookups, 'no lookup was needed');
    assert.equal(m.pod?.name, 'nc-1');
    assert.equal(m.pod?.namespace, 'tools');
    assert.deepEqual(m.pod?.labels, { app: 'nettools' });
    assert.equal(m.pod?.sandboxId, p.sandbox.id);
    const started = await poll(() => r.cached(p.container.id)?.startedAt, 10_000);
    assert.ok(started && started > 0n, '/tasks/start sets the start time');
    assert.ok(updates.some((u) => u.fullId === p.container.id), 'onUpdate told about it');
  } finally {
    r.stop();
  }
});

test('no socket: a coded error, and the resolver keeps working without metadata', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-nosock-'));
  try {
    assert.throws(() => new ContainerdClient({ socket: join(dir, 'absent.sock') }), (e: VigilError) => e.code === CONTAINERD_ERRORS.noSocket && /containerd-socket/.test(e.message));
    const errors: VigilError[] = [];
    const r = new ContainerMetadataResolver({ socket: join(dir, 'absent.sock'), onError: (e) => errors.push(e) });
    assert.equal(r.available, false);
    await r.start();
    assert.equal(await r.lookup(randomId()), undefined);
    assert.deepEqual(errors.map((e) => e.code), [CONTAINERD_ERRORS.noSocket]);
    r.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a socket where nothing speaks gRPC: calls fail with a code within their deadline, no hang', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-badsock-'));
  const path = join(dir, 'bad.sock');
  const server = createServer((s) => s.end('garbage, not http/2\n'));
  await new Promise<void>((r) => server.listen(path, r));
  try {
    const c = new ContainerdClient({ socket: path, timeoutMs: 1500 });
    await assert.rejects(c.version(), (e: VigilError) => [CONTAINERD_ERRORS.unavailable, CONTAINERD_ERRORS.timeout, CONTAINERD_ERRORS.failed].includes(e.code as never));
    c.close();
    const errors: VigilError[] = [];
    const r = new ContainerMetadataResolver({ socket: path, timeoutMs: 1500, follow: false, onError: (e) => errors.push(e) });
    await r.start();
    assert.equal(await r.lookup(randomId()), undefined);
    assert.ok(errors.length >= 1 && errors.every((e) => e.code.startsWith('CONTAINERD_')));
    r.stop();
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('liveContainerMetadata (for replays) gives privileged containers as privileged', { skip, timeout: 180_000 }, async () => {
  const { ensureNetToolsImage, liveContainerMetadata } = await import('./runtime.ts');
  const image = ensureNetToolsImage(NS);
  const priv = await startContainer({ image, ns: NS, privileged: true });
  const plain = await startContainer({ image, ns: NS });
  cleanup.push(() => priv.stop(), () => plain.stop());
  const all = await liveContainerMetadata([NS]);
  assert.equal(all.find((m) => m.fullId === priv.id)?.privileged, true);
  assert.equal(all.find((m) => m.fullId === plain.id)?.privileged, false);
});
