/**
 * Test helper: real containers with containerd + runc (`ctr`), shaped like Kubernetes pods
 * (the io.kubernetes.* labels the CRI sets, a sandbox container holding the pod labels).
 *
 *   const why = containerdProblem();            // skip reason or undefined
 *   const image = ensureNetToolsImage();        // Debian bookworm minbase + netcat-openbsd (cached)
 *   const pod = startPod({ image, pod: 'web-1', namespace: 'shop', container: 'app', labels: { app: 'web' } });
 *   await pod.container.exec(['nc', '-z', '127.0.0.1', '9']);
 *   await pod.stop();
 *
 * Images are built from a debootstrap root (cached under /var/cache/vigil-containers) with
 * umoci and imported with `ctr images import`; every name is in the namespace given
 * (default k8s.io, as the CRI uses).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** containerd's socket (the .ci/services/containerd.sh default). */
export const SOCKET = process.env.VIGIL_CONTAINERD_SOCKET ?? '/run/containerd/containerd.sock';
/** Where built roots and OCI layouts are cached between runs. */
export const CACHE = process.env.VIGIL_CONTAINER_CACHE ?? '/var/cache/vigil-containers';
/** The demo image: Debian bookworm minbase with netcat-openbsd. */
export const NETTOOLS_IMAGE = 'docker.io/vigil/nettools:bookworm';

/** True when `cmd` is on PATH. */
export function have(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs ctr against the test socket; returns stdout. */
export function ctr(ns: string, args: string[], opts: { timeoutMs?: number } = {}): string {
  return execFileSync('ctr', ['-a', SOCKET, '-n', ns, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 60_000 });
}

/** Why containers cannot run here (printed as the skip reason), or undefined when they can. */
export function containerdProblem(): string | undefined {
  if (typeof process.geteuid === 'function' && process.geteuid() !== 0) return 'containers need root';
  for (const c of ['ctr', 'runc']) if (!have(c)) return `${c} not installed (apt-get install containerd runc)`;
  try {
    execFileSync('ctr', ['-a', SOCKET, 'version'], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    return `containerd not answering on ${SOCKET} (start it: bash .ci/services/containerd.sh)`;
  }
  return undefined;
}

/** A random 64-hex id, as the CRI gives containers (the sensor maps cgroups by such ids). */
export function randomId(): string {
  return randomBytes(32).toString('hex');
}

/** Which archive apt uses here (deb822 or one-line sources), for debootstrap. */
function mirror(): string {
  const tryRead = (f: string) => { try { return readFileSync(f, 'utf8'); } catch { return ''; } };
  const d822 = execFileSync('sh', ['-c', "cat /etc/apt/sources.list.d/*.sources 2>/dev/null || true"], { encoding: 'utf8' });
  const m = /^URIs:\s*(\S+)/m.exec(d822.split('\n').filter((l) => !l.includes('security')).join('\n'));
  if (m) return m[1];
  const one = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/m.exec(tryRead('/etc/apt/sources.list'));
  return one ? one[1] : 'http://deb.debian.org/debian';
}

/** A debootstrap minbase bookworm root with extra packages, built once and cached. */
export function ensureRootfs(name: string, include: string[]): string {
  const dir = join(CACHE, `rootfs-${name}`);
  if (existsSync(join(dir, 'etc', 'debian_version'))) return dir;
  if (!have('debootstrap')) throw new Error('debootstrap not installed');
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  const args = ['--variant=minbase', ...(include.length ? [`--include=${include.join(',')}`] : []), 'bookworm', tmp, mirror()];
  execFileSync('debootstrap', args, { stdio: 'ignore', timeout: 600_000 });
  renameSync(tmp, dir);
  return dir;
}

/** Builds an OCI image from a root with umoci and imports it into containerd as `ref` (idempotent). */
export function importImage(ns: string, ref: string, rootfs: string, cmd: string[] = ['/bin/sh']): string {
  const have_ = ctr(ns, ['images', 'ls', '-q']).split('\n').includes(ref);
  if (have_) return ref;
  const key = ref.replace(/[^A-Za-z0-9]+/g, '_');
  const layout = join(CACHE, `oci-${key}`);
  const tar = join(CACHE, `oci-${key}.tar`);
  if (!existsSync(tar)) {
    if (!have('umoci')) throw new Error('umoci not installed');
    rmSync(layout, { recursive: true, force: true });
    const tag = ref.slice(ref.lastIndexOf(':') + 1);
    execFileSync('umoci', ['init', '--layout', layout]);
    execFileSync('umoci', ['new', '--image', `${layout}:${tag}`]);
    execFileSync('umoci', ['insert', '--image', `${layout}:${tag}`, rootfs, '/'], { timeout: 600_000 });
    execFileSync('umoci', ['config', '--image', `${layout}:${tag}`, ...cmd.flatMap((c) => ['--config.cmd', c])]);
    execFileSync('tar', ['-C', layout, '-cf', `${tar}.tmp`, '.']);
    renameSync(`${tar}.tmp`, tar);
  }
  // the layout's ref name is the tag; --base-name turns it into the full reference
  ctr(ns, ['images', 'import', '--base-name', ref.slice(0, ref.lastIndexOf(':')), tar], { timeoutMs: 300_000 });
  return ref;
}

/** The network-tools demo image (netcat-openbsd), built and imported on first use. */
export function ensureNetToolsImage(ns = 'k8s.io'): string {
  return importImage(ns, NETTOOLS_IMAGE, ensureRootfs('nettools', ['netcat-openbsd']));
}

/** A running (or only created) container. */
export interface TestContainer {
  id: string;
  ns: string;
  /** Runs a command inside; resolves with its exit code and output. */
  exec(argv: string[], opts?: { timeoutMs?: number }): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Host pid of the container's init process (undefined when not started). */
  pid?: number;
  /** Kills the task and removes the container. */
  stop(): Promise<void>;
}

/** Options of `startContainer`. */
export interface StartOptions {
  image: string;
  ns?: string;
  id?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** The init process (default: sleep for an hour). */
  cmd?: string[];
  privileged?: boolean;
  netHost?: boolean;
  /** Extra `ctr run` flags (e.g. `--mount type=bind,src=/x,dst=/x,options=rbind:rw`). */
  extra?: string[];
  /** Only create the container record (no task), as a pod sandbox stand-in. */
  createOnly?: boolean;
}

function runCmd(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += String(d); });
    child.stderr.on('data', (d) => { stderr += String(d); });
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => { clearTimeout(t); resolve({ code, stdout, stderr }); });
    child.on('error', (e) => { clearTimeout(t); resolve({ code: null, stdout, stderr: e.message }); });
  });
}

/** Removes a container and its task, ignoring what is already gone. */
export async function removeContainer(ns: string, id: string): Promise<void> {
  await runCmd('ctr', ['-a', SOCKET, '-n', ns, 'task', 'kill', '-s', 'SIGKILL', id], 10_000);
  for (let i = 0; i < 20; i++) {
    const r = await runCmd('ctr', ['-a', SOCKET, '-n', ns, 'task', 'rm', '-f', id], 10_000);
    if (r.code === 0 || /not found/.test(r.stderr)) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  await runCmd('ctr', ['-a', SOCKET, '-n', ns, 'containers', 'rm', id], 10_000);
}

/** Starts a container (detached, runc) from an imported image. */
export async function startContainer(o: StartOptions): Promise<TestContainer> {
  const ns = o.ns ?? 'k8s.io';
  const id = o.id ?? randomId();
  const flags: string[] = [];
  for (const [k, v] of Object.entries(o.labels ?? {})) flags.push('--label', `${k}=${v}`);
  for (const [k, v] of Object.entries(o.annotations ?? {})) flags.push('--annotation', `${k}=${v}`);
  if (o.privileged) flags.push('--privileged');
  if (o.netHost) flags.push('--net-host');
  flags.push(...(o.extra ?? []));
  const cmd = o.cmd ?? ['sleep', '3600'];
  const args = o.createOnly
    ? ['-a', SOCKET, '-n', ns, 'containers', 'create', ...flags, o.image, id, ...cmd]
    : ['-a', SOCKET, '-n', ns, 'run', '-d', '--null-io', ...flags, o.image, id, ...cmd];
  const r = await runCmd('ctr', args, 60_000);
  if (r.code !== 0) throw new Error(`ctr ${args.slice(4, 6).join(' ')} failed: ${r.stderr.trim()}`);
  let pid: number | undefined;
  if (!o.createOnly) {
    const t = await runCmd('ctr', ['-a', SOCKET, '-n', ns, 'task', 'ls'], 10_000);
    const line = t.stdout.split('\n').find((l) => l.startsWith(id));
    pid = line ? Number(line.split(/\s+/)[1]) : undefined;
  }
  let execs = 0;
  return {
    id, ns, pid,
    exec: (argv, eo = {}) => runCmd('ctr', ['-a', SOCKET, '-n', ns, 'task', 'exec', '--exec-id', `vigil-${process.pid}-${++execs}`, id, ...argv], eo.timeoutMs ?? 30_000),
    stop: () => removeContainer(ns, id),
  };
}

/** The labels the CRI puts on a pod's containers. */
export function podContainerLabels(pod: string, namespace: string, uid: string, container: string): Record<string, string> {
  return {
    'io.kubernetes.pod.name': pod,
    'io.kubernetes.pod.namespace': namespace,
    'io.kubernetes.pod.uid': uid,
    'io.kubernetes.container.name': container,
    'io.cri-containerd.kind': 'container',
  };
}

/** A pod stand-in: a sandbox record carrying the pod labels and one running workload container. */
export interface TestPod {
  uid: string;
  sandbox: TestContainer;
  container: TestContainer;
  stop(): Promise<void>;
}

/** Starts a pod-shaped pair of containers (namespace k8s.io unless given). */
export async function startPod(o: {
  image: string; pod: string; namespace: string; container: string; labels?: Record<string, string>; ns?: string; cmd?: string[]; privileged?: boolean;
}): Promise<TestPod> {
  const uid = `${randomBytes(4).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(6).toString('hex')}`;
  const ns = o.ns ?? 'k8s.io';
  const sandboxId = randomId();
  const sandbox = await startContainer({
    image: o.image, ns, id: sandboxId, createOnly: true,
    labels: {
      ...(o.labels ?? {}),
      'io.kubernetes.pod.name': o.pod, 'io.kubernetes.pod.namespace': o.namespace, 'io.kubernetes.pod.uid': uid, 'io.cri-containerd.kind': 'sandbox',
    },
  });
  let container: TestContainer;
  try {
    container = await startContainer({
      image: o.image, ns, cmd: o.cmd, privileged: o.privileged,
      labels: podContainerLabels(o.pod, o.namespace, uid, o.container),
      annotations: { 'io.kubernetes.cri.sandbox-id': sandboxId, 'io.kubernetes.cri.container-type': 'container' },
    });
  } catch (e) {
    await sandbox.stop();
    throw e;
  }
  return { uid, sandbox, container, stop: async () => { await container.stop(); await sandbox.stop(); } };
}

/**
 * Container metadata of every container containerd has now, for replaying a capture of these
 * containers with their image, pod and privileges (a capture itself carries no metadata):
 *   for (const m of await liveContainerMetadata()) applyContainerMetadata(engine.state, m);
 */
export async function liveContainerMetadata(namespaces?: string[]): Promise<import('../../src/k8s/index.ts').ContainerMeta[]> {
  const { ContainerMetadataResolver } = await import('../../src/k8s/index.ts');
  const r = new ContainerMetadataResolver({ socket: SOCKET, namespaces, follow: false });
  try {
    await r.start();
    return r.all();
  } finally {
    r.stop();
  }
}
