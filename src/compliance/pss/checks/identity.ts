/**
 * Restricted checks about who the process runs as: privilege escalation, non-root, UID 0.
 * @module
 */
import { allContainers, type PodMeta, type PodSpec } from '../../manifests/index.ts';
import type { Finding, PssCheck } from '../types.ts';
import { containersPhrase, isWindows, nameOf } from './util.ts';

function ape(_meta: PodMeta, spec: PodSpec): Finding | undefined {
  const bad = allContainers(spec)
    .filter((c) => c.securityContext?.allowPrivilegeEscalation !== false)
    .map(nameOf);
  return bad.length
    ? {
        reason: 'allowPrivilegeEscalation != false',
        detail: `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false`,
      }
    : undefined;
}

/** allowPrivilegeEscalation (v1.8+): every container sets it to false; Windows pods exempt from v1.25. */
export const allowPrivilegeEscalation: PssCheck = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  versions: [
    { minVersion: 8, evaluate: ape },
    { minVersion: 25, evaluate: (m, s) => (isWindows(s) ? undefined : ape(m, s)) },
  ],
};

function nonRoot(_meta: PodMeta, spec: PodSpec): Finding | undefined {
  const podValue = spec.securityContext?.runAsNonRoot;
  const parts: string[] = [];
  if (podValue === false) parts.push('pod must not set securityContext.runAsNonRoot=false');
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of allContainers(spec)) {
    const v = c.securityContext?.runAsNonRoot;
    if (v === false) explicit.push(nameOf(c));
    else if (v == null && podValue !== true) implicit.push(nameOf(c));
  }
  if (explicit.length)
    parts.push(`${containersPhrase(explicit)} must not set securityContext.runAsNonRoot=false`);
  if (implicit.length)
    parts.push(`pod or ${containersPhrase(implicit)} must set securityContext.runAsNonRoot=true`);
  return parts.length ? { reason: 'runAsNonRoot != true', detail: parts.join('; ') } : undefined;
}

/** runAsNonRoot: pod or every container sets runAsNonRoot=true; from v1.35 user-namespaced pods are exempt. */
export const runAsNonRoot: PssCheck = {
  id: 'runAsNonRoot',
  level: 'restricted',
  versions: [
    { minVersion: 0, evaluate: nonRoot },
    { minVersion: 35, evaluate: (m, s) => (s.hostUsers === false ? undefined : nonRoot(m, s)) },
  ],
};

function uidZero(_meta: PodMeta, spec: PodSpec): Finding | undefined {
  const parts: string[] = [];
  if (spec.securityContext?.runAsUser === 0) parts.push('pod must not set runAsUser=0');
  const bad = allContainers(spec)
    .filter((c) => c.securityContext?.runAsUser === 0)
    .map(nameOf);
  if (bad.length) parts.push(`${containersPhrase(bad)} must not set runAsUser=0`);
  return parts.length ? { reason: 'runAsUser=0', detail: parts.join('; ') } : undefined;
}

/** runAsUser (v1.23+): neither pod nor containers run as UID 0; from v1.35 user-namespaced pods are exempt. */
export const runAsUser: PssCheck = {
  id: 'runAsUser',
  level: 'restricted',
  versions: [
    { minVersion: 23, evaluate: uidZero },
    { minVersion: 35, evaluate: (m, s) => (s.hostUsers === false ? undefined : uidZero(m, s)) },
  ],
};
