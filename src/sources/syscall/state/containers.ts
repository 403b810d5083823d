/**
 * Containers: ids from cgroup paths (docker, containerd/CRI, cri-o, podman, kubepods) and
 * metadata from container events (PPME_CONTAINER_E and the JSON variants written by libsinsp).
 * @module
 */
import type { ContainerInfo } from './types.ts';

const HEX64 = /(?:^|[/-])([0-9a-f]{64})(?:\.scope)?(?:$|\/)/;
const RUNTIMES: [RegExp, string][] = [
  [/docker/, 'docker'],
  [/cri-containerd|containerd|^\/k8s\.io\//, 'containerd'],
  [/crio/, 'cri-o'],
  [/libpod/, 'podman'],
];

/** The container of a process from its cgroups (`subsys=path` entries); `host` when none. */
export function containerFromCgroups(cgroups: readonly string[]): { id: string; fullId?: string; type?: string } {
  for (const c of cgroups) {
    const eq = c.indexOf('=');
    const path = eq >= 0 ? c.slice(eq + 1) : c;
    const m = HEX64.exec(path);
    if (m) {
      const type = RUNTIMES.find(([re]) => re.test(path))?.[1] ?? (path.includes('kubepods') ? 'containerd' : 'docker');
      return { id: m[1].slice(0, 12), fullId: m[1], type };
    }
  }
  return { id: 'host' };
}

/** Splits an image reference into repository, tag and digest. */
export function splitImage(image: string): { repository: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag: string | undefined;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { repository: rest, tag, digest };
}

const TYPE_NAMES: Record<number, string> = { 0: 'docker', 1: 'lxc', 2: 'libvirt-lxc', 3: 'mesos', 4: 'rkt', 5: 'custom', 6: 'rkt', 7: 'containerd', 8: 'cri-o', 9: 'bpm', 10: 'static', 11: 'podman' };

/** Container from the old 4-parameter container event. */
export function containerFromEvent(id: string, type: number, name: string, image: string): ContainerInfo {
  const s = splitImage(image);
  return { id, type: TYPE_NAMES[type] ?? String(type), name, image, imageRepository: s.repository, imageTag: s.tag, imageDigest: s.digest };
}

/** Container from libsinsp's container JSON (`{"container": {...}}`); undefined when unusable. */
export function containerFromJson(text: string): ContainerInfo | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const c = (doc as { container?: Record<string, unknown> })?.container;
  if (!c || typeof c !== 'object' || typeof c.id !== 'string') return undefined;
  const str = (k: string) => (typeof c[k] === 'string' ? (c[k] as string) : undefined);
  const image = str('image') ?? '';
  const s = splitImage(image);
  const typeVal = c.type;
  const mounts = Array.isArray(c.Mounts)
    ? (c.Mounts as Record<string, unknown>[]).map((m) => ({
        source: String(m.Source ?? ''),
        dest: String(m.Destination ?? ''),
        mode: typeof m.Mode === 'string' ? m.Mode : undefined,
        rw: m.RW === true,
        propagation: typeof m.Propagation === 'string' ? m.Propagation : undefined,
      }))
    : undefined;
  const labels: Record<string, string> = {};
  if (c.labels && typeof c.labels === 'object') for (const [k, v] of Object.entries(c.labels)) labels[k] = String(v);
  return {
    id: (c.id as string).slice(0, 12),
    fullId: str('full_id') ?? (c.id as string),
    type: typeof typeVal === 'number' ? (TYPE_NAMES[typeVal] ?? String(typeVal)) : (str('type') ?? 'docker'),
    name: str('name'),
    image,
    imageId: str('imageid'),
    imageRepository: str('imagerepo') ?? s.repository,
    imageTag: str('imagetag') ?? s.tag,
    imageDigest: str('imagedigest') ?? s.digest,
    privileged: c.privileged === true,
    mounts,
    labels,
    ip: typeof c.ip === 'string' ? c.ip : undefined,
    cniJson: str('cni_json'),
    hostPid: c.host_pid === true,
    hostNetwork: c.host_network === true,
    hostIpc: c.host_ipc === true,
  };
}

/** Kubernetes facts a live metadata source adds to a container (beyond its labels). */
export interface PodFacts {
  name: string;
  namespace: string;
  uid?: string;
  containerName?: string;
  /** Full id of the pod sandbox. */
  sandboxId?: string;
  /** The pod's own labels. */
  labels: Record<string, string>;
}

/** A container table entry filled by a live metadata source (container runtime API). */
export interface LiveContainerInfo extends ContainerInfo {
  pod?: PodFacts;
  /** Start (or creation) time, ns since the epoch. */
  startTs?: bigint;
}

/**
 * Container metadata as a runtime client reports it (the shape src/k8s's resolver yields);
 * structural, so the sources room does not depend on the k8s room.
 */
export interface ContainerMetadata {
  id: string;
  fullId: string;
  type: string;
  name: string;
  image: string;
  imageDigest?: string;
  labels: Record<string, string>;
  createdAt?: bigint;
  startedAt?: bigint;
  mounts?: { source: string; dest: string; mode?: string; rw?: boolean; propagation?: string }[];
  privileged?: boolean;
  hostPid?: boolean;
  hostNetwork?: boolean;
  hostIpc?: boolean;
  pod?: PodFacts;
}

/** The container table entry for runtime metadata. */
export function containerFromMetadata(m: ContainerMetadata): LiveContainerInfo {
  const s = splitImage(m.image);
  return {
    id: m.fullId.slice(0, 12), fullId: m.fullId, type: m.type, name: m.name, image: m.image,
    imageRepository: s.repository, imageTag: s.tag ?? (m.image && !s.digest ? 'latest' : undefined), imageDigest: s.digest ?? m.imageDigest,
    privileged: m.privileged, mounts: m.mounts, labels: m.labels,
    hostPid: m.hostPid, hostNetwork: m.hostNetwork, hostIpc: m.hostIpc,
    pod: m.pod, startTs: m.startedAt ?? m.createdAt,
  };
}
