/**
 * container.* and k8s.* extractors from the container table (cgroup ids plus metadata from
 * container events; Kubernetes facts from the CRI labels).
 * @module
 */
import type { ContainerInfo, SyscallEvent } from '../state/index.ts';
import type { LiveContainerInfo, PodFacts } from '../state/containers.ts';
import type { Extractor, ExtractorMap } from './types.ts';

function cid(ev: SyscallEvent): string {
  return ev.containerId ?? ev.thread?.containerId ?? 'host';
}

/** container.id: <NA> when the event has no thread. */
const containerId: Extractor = (ev) => ev.containerId ?? ev.thread?.containerId;

function info(ev: SyscallEvent): ContainerInfo | undefined {
  const id = cid(ev);
  return id === 'host' ? undefined : ev.st.containers.get(id);
}

const c = (f: (ci: ContainerInfo) => string | boolean | undefined, host?: string): Extractor => (ev) => {
  if (cid(ev) === 'host') return host;
  const ci = info(ev);
  return ci ? f(ci) : undefined;
};

/** Pod facts from a runtime metadata source, else from the CRI labels alone. */
function pod(ev: SyscallEvent): PodFacts | undefined {
  const ci = info(ev) as LiveContainerInfo | undefined;
  return ci?.pod;
}

const k8s = (f: (p: PodFacts) => string | undefined, key?: string): Extractor => (ev) => {
  const p = pod(ev);
  if (p) return f(p);
  return key ? info(ev)?.labels?.[key] : undefined;
};

/** key:value pairs joined by ", " as libsinsp prints label maps. */
function pairs(m: Record<string, string> | undefined): string | undefined {
  if (!m) return undefined;
  return Object.entries(m).map(([k, v]) => `${k}:${v}`).join(', ');
}

const startTs = (ev: SyscallEvent): bigint | undefined => (info(ev) as LiveContainerInfo | undefined)?.startTs;

/** Glob match for mount paths (`*` and `?`). */
function glob(pattern: string, s: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return re.test(s);
}

function mountFor(ev: SyscallEvent, arg: string | undefined, by: 'dest' | 'source'): ContainerInfo['mounts'] extends (infer M)[] | undefined ? M | undefined : never {
  const ci = info(ev);
  if (!ci?.mounts || arg === undefined) return undefined;
  if (/^[0-9]+$/.test(arg)) return ci.mounts[Number(arg)];
  return ci.mounts.find((m) => glob(arg, by === 'dest' ? m.source : m.dest));
}

/** container.* and k8s.* extractors. */
export const CONTAINER: ExtractorMap = {
  'container.id': { type: 'CHARBUF', desc: 'container id (12 chars) or host', extract: containerId },
  'container.full_id': { type: 'CHARBUF', desc: 'full container id', extract: (ev) => (cid(ev) === 'host' ? 'host' : (info(ev)?.fullId ?? cid(ev))) },
  'container.name': { type: 'CHARBUF', desc: 'container name', extract: c((ci) => ci.name, 'host') },
  'container.image': { type: 'CHARBUF', desc: 'image reference', extract: c((ci) => ci.image) },
  'container.image.id': { type: 'CHARBUF', desc: 'image id', extract: c((ci) => ci.imageId) },
  'container.image.repository': { type: 'CHARBUF', desc: 'image repository', extract: c((ci) => ci.imageRepository) },
  'container.image.tag': { type: 'CHARBUF', desc: 'image tag', extract: c((ci) => ci.imageTag) },
  'container.image.digest': { type: 'CHARBUF', desc: 'image digest', extract: c((ci) => ci.imageDigest) },
  'container.type': { type: 'CHARBUF', desc: 'runtime type', extract: c((ci) => ci.type, 'host') },
  'container.privileged': { type: 'BOOL', desc: 'privileged container', extract: (ev) => (cid(ev) === 'host' ? undefined : info(ev)?.privileged) },
  'container.ip': { type: 'CHARBUF', desc: 'container ip', extract: c((ci) => ci.ip) },
  'container.cni.json': { type: 'CHARBUF', desc: 'CNI result', extract: c((ci) => ci.cniJson) },
  'container.start_ts': { type: 'ABSTIME', desc: 'container start time (ns)', extract: startTs },
  'container.duration': {
    type: 'RELTIME', desc: 'ns since container start',
    extract: (ev) => { const t = startTs(ev); return t !== undefined && ev.e.ts >= t ? ev.e.ts - t : undefined; },
  },
  'container.healthcheck': { type: 'CHARBUF', desc: 'health check', extract: c(() => undefined) },
  'container.liveness_probe': { type: 'CHARBUF', desc: 'liveness probe', extract: c(() => undefined) },
  'container.readiness_probe': { type: 'CHARBUF', desc: 'readiness probe', extract: c(() => undefined) },
  'container.info': { type: 'CHARBUF', desc: 'deprecated, empty', extract: () => '' },
  'container.mounts': {
    type: 'CHARBUF', desc: 'mounts as source:dest:mode:rw:propagation',
    extract: c((ci) => ci.mounts?.map((m) => `${m.source}:${m.dest}:${m.mode ?? ''}:${m.rw ? 'true' : 'false'}:${m.propagation ?? ''}`).join(',')),
  },
  'container.mount': {
    type: 'CHARBUF', arg: 'required-key', desc: 'one mount by index or source glob',
    extract: (ev, arg) => {
      const m = mountFor(ev, arg, 'dest');
      return m ? `${m.source}:${m.dest}:${m.mode ?? ''}:${m.rw ? 'true' : 'false'}:${m.propagation ?? ''}` : info(ev) ? 'N/A' : undefined;
    },
  },
  'container.mount.source': { type: 'CHARBUF', arg: 'required-key', desc: 'mount source by index or dest glob', extract: (ev, arg) => mountFor(ev, arg, 'source')?.source ?? (info(ev) ? 'N/A' : undefined) },
  'container.mount.dest': { type: 'CHARBUF', arg: 'required-key', desc: 'mount dest by index or source glob', extract: (ev, arg) => mountFor(ev, arg, 'dest')?.dest ?? (info(ev) ? 'N/A' : undefined) },
  'container.label': { type: 'CHARBUF', arg: 'required-key', desc: 'container label', extract: (ev, arg) => (arg ? info(ev)?.labels?.[arg] : undefined) },
  'container.labels': { type: 'CHARBUF', desc: 'labels as key:value pairs', extract: c((ci) => pairs(ci.labels)) },
  'container.host_pid': { type: 'BOOL', desc: 'shares the host pid namespace', extract: (ev) => info(ev)?.hostPid },
  'container.host_network': { type: 'BOOL', desc: 'shares the host network namespace', extract: (ev) => info(ev)?.hostNetwork },
  'container.host_ipc': { type: 'BOOL', desc: 'shares the host ipc namespace', extract: (ev) => info(ev)?.hostIpc },
  'container.mount.mode': { type: 'CHARBUF', arg: 'required-key', desc: 'mount mode by index or source glob', extract: (ev, arg) => mountFor(ev, arg, 'dest')?.mode ?? (info(ev) ? 'N/A' : undefined) },
  'container.mount.rdwr': { type: 'CHARBUF', arg: 'required-key', desc: 'mount writable by index or source glob', extract: (ev, arg) => { const m = mountFor(ev, arg, 'dest'); return m ? String(m.rw === true) : info(ev) ? 'N/A' : undefined; } },
  'container.mount.propagation': { type: 'CHARBUF', arg: 'required-key', desc: 'mount propagation by index or source glob', extract: (ev, arg) => mountFor(ev, arg, 'dest')?.propagation ?? (info(ev) ? 'N/A' : undefined) },
  'k8s.ns.name': { type: 'CHARBUF', desc: 'pod namespace', extract: k8s((p) => p.namespace, 'io.kubernetes.pod.namespace') },
  'k8s.pod.name': { type: 'CHARBUF', desc: 'pod name', extract: k8s((p) => p.name, 'io.kubernetes.pod.name') },
  'k8s.pod.uid': { type: 'CHARBUF', desc: 'pod uid', extract: k8s((p) => p.uid, 'io.kubernetes.pod.uid') },
  'k8s.pod.id': { type: 'CHARBUF', desc: 'pod uid (legacy name)', extract: k8s((p) => p.uid, 'io.kubernetes.pod.uid') },
  'k8s.container.name': { type: 'CHARBUF', desc: 'container name in the pod', extract: k8s((p) => p.containerName, 'io.kubernetes.container.name') },
  'k8s.pod.sandbox_id': { type: 'CHARBUF', desc: 'pod sandbox id (12 chars)', extract: k8s((p) => p.sandboxId?.slice(0, 12)) },
  'k8s.pod.full_sandbox_id': { type: 'CHARBUF', desc: 'pod sandbox id', extract: k8s((p) => p.sandboxId) },
  'k8s.pod.labels': { type: 'CHARBUF', desc: 'pod labels as key:value pairs', extract: k8s((p) => pairs(p.labels)) },
  'k8s.pod.label': { type: 'CHARBUF', arg: 'required-key', desc: 'one pod label', extract: (ev, arg) => (arg ? pod(ev)?.labels[arg] : undefined) },
};
