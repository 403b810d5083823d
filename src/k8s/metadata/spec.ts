/**
 * Facts from a container's OCI runtime spec (containers.v1 Container.spec, JSON in an Any):
 * annotations, mounts, shared host namespaces and whether it runs privileged.
 * @module
 */

/** What Vigil reads from an OCI spec. */
export interface SpecFacts {
  annotations: Record<string, string>;
  mounts: { source: string; dest: string; mode?: string; rw: boolean; propagation?: string }[];
  hostPid: boolean;
  hostNetwork: boolean;
  hostIpc: boolean;
  privileged: boolean;
}

const EMPTY: SpecFacts = { annotations: {}, mounts: [], hostPid: false, hostNetwork: false, hostIpc: false, privileged: false };

const PROPAGATION = ['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave'];

/** Parses the spec bytes; unreadable specs give empty facts (metadata must never fail on them). */
export function specFacts(bytes: Uint8Array | undefined | null): SpecFacts {
  if (!bytes || bytes.length === 0) return EMPTY;
  let spec: Record<string, unknown>;
  try {
    spec = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
  } catch {
    return EMPTY;
  }
  if (!spec || typeof spec !== 'object') return EMPTY;
  const annotations: Record<string, string> = {};
  if (spec.annotations && typeof spec.annotations === 'object') {
    for (const [k, v] of Object.entries(spec.annotations as Record<string, unknown>)) if (typeof v === 'string') annotations[k] = v;
  }
  const mounts = (Array.isArray(spec.mounts) ? (spec.mounts as Record<string, unknown>[]) : []).map((m) => {
    const options = Array.isArray(m.options) ? (m.options as unknown[]).map(String) : [];
    return {
      source: String(m.source ?? ''),
      dest: String(m.destination ?? ''),
      mode: options.filter((o) => o !== 'ro' && o !== 'rw' && !PROPAGATION.includes(o)).join(',') || undefined,
      rw: !options.includes('ro'),
      propagation: options.find((o) => PROPAGATION.includes(o)),
    };
  });
  const linux = (spec.linux ?? {}) as Record<string, unknown>;
  const nsTypes = new Set((Array.isArray(linux.namespaces) ? (linux.namespaces as { type?: string }[]) : []).map((n) => n.type));
  const hasLinux = Array.isArray(linux.namespaces);
  const caps = ((spec.process as Record<string, unknown> | undefined)?.capabilities ?? {}) as Record<string, unknown>;
  const effective = Array.isArray(caps.effective) ? (caps.effective as string[]) : [];
  const masked = Array.isArray(linux.maskedPaths) ? (linux.maskedPaths as unknown[]) : [];
  return {
    annotations,
    mounts,
    // a namespace type missing from the spec is shared with the host
    hostPid: hasLinux && !nsTypes.has('pid'),
    hostNetwork: hasLinux && !nsTypes.has('network'),
    hostIpc: hasLinux && !nsTypes.has('ipc'),
    // CRI and ctr --privileged both grant every capability and drop the masked paths
    privileged: effective.includes('CAP_SYS_ADMIN') && masked.length === 0,
  };
}
