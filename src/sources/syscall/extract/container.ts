/**
 * container.* and k8s.* extractors from the container table (cgroup ids plus metadata from
 * container events; Kubernetes facts from the CRI labels).
 * @module
 */
import type { ContainerInfo, SyscallEvent } from '../state/index.ts';
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

const label = (key: string): Extractor => c((ci) => ci.labels?.[key]);

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
  'container.start_ts': { type: 'ABSTIME', desc: 'container start time (ns)', extract: () => undefined },
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
  'k8s.ns.name': { type: 'CHARBUF', desc: 'pod namespace', extract: label('io.kubernetes.pod.namespace') },
  'k8s.pod.name': { type: 'CHARBUF', desc: 'pod name', extract: label('io.kubernetes.pod.name') },
  'k8s.pod.uid': { type: 'CHARBUF', desc: 'pod uid', extract: label('io.kubernetes.pod.uid') },
  'k8s.pod.id': { type: 'CHARBUF', desc: 'pod uid (legacy name)', extract: label('io.kubernetes.pod.uid') },
  'k8s.container.name': { type: 'CHARBUF', desc: 'container name in the pod', extract: label('io.kubernetes.container.name') },
};
