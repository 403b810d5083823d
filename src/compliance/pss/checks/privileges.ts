/**
 * Checks on container privileges: privileged mode, Linux capabilities (baseline and
 * restricted), and /proc mount type.
 * @module
 */
import { allContainers, type PodSpec } from '../../manifests/index.ts';
import type { Finding, PssCheck } from '../types.ts';
import { containersPhrase, isWindows, nameOf, quoted, strings } from './util.ts';

/** privileged: no privileged containers. */
export const privileged: PssCheck = {
  id: 'privileged',
  level: 'baseline',
  versions: [
    {
      minVersion: 0,
      evaluate(_meta, spec) {
        const bad = allContainers(spec)
          .filter((c) => c.securityContext?.privileged === true)
          .map(nameOf);
        return bad.length
          ? {
              reason: 'privileged',
              detail: `${containersPhrase(bad)} must not set securityContext.privileged=true`,
            }
          : undefined;
      },
    },
  ],
};

const baselineCaps = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** capabilities_baseline: added capabilities stay within the container runtime's default set. */
export const capabilitiesBaseline: PssCheck = {
  id: 'capabilities_baseline',
  level: 'baseline',
  versions: [
    {
      minVersion: 0,
      evaluate(_meta, spec) {
        const names: string[] = [];
        const caps = new Set<string>();
        for (const c of allContainers(spec)) {
          const bad = strings(c.securityContext?.capabilities?.add).filter(
            (x) => !baselineCaps.has(x),
          );
          if (bad.length) {
            names.push(nameOf(c));
            for (const x of bad) caps.add(x);
          }
        }
        if (!names.length) return undefined;
        return {
          reason: 'non-default capabilities',
          detail: `${containersPhrase(names)} must not include ${quoted(caps)} in securityContext.capabilities.add`,
        };
      },
    },
  ],
};

function capabilitiesRestricted(_meta: unknown, spec: PodSpec): Finding | undefined {
  const noDrop: string[] = [];
  const badAdd: string[] = [];
  const caps = new Set<string>();
  for (const c of allContainers(spec)) {
    const capsField = c.securityContext?.capabilities;
    if (!strings(capsField?.drop).includes('ALL')) noDrop.push(nameOf(c));
    const bad = strings(capsField?.add).filter((x) => x !== 'NET_BIND_SERVICE');
    if (bad.length) {
      badAdd.push(nameOf(c));
      for (const x of bad) caps.add(x);
    }
  }
  if (!noDrop.length && !badAdd.length) return undefined;
  const parts: string[] = [];
  if (noDrop.length)
    parts.push(`${containersPhrase(noDrop)} must set securityContext.capabilities.drop=["ALL"]`);
  if (badAdd.length)
    parts.push(
      `${containersPhrase(badAdd)} must not include ${quoted(caps)} in securityContext.capabilities.add`,
    );
  return { reason: 'unrestricted capabilities', detail: parts.join('; ') };
}

/** capabilities_restricted (v1.22+): drop ALL, add at most NET_BIND_SERVICE; Windows pods exempt from v1.25. */
export const capabilitiesRestrictedCheck: PssCheck = {
  id: 'capabilities_restricted',
  level: 'restricted',
  versions: [
    { minVersion: 22, overrides: ['capabilities_baseline'], evaluate: capabilitiesRestricted },
    {
      minVersion: 25,
      overrides: ['capabilities_baseline'],
      evaluate: (m, s) => (isWindows(s) ? undefined : capabilitiesRestricted(m, s)),
    },
  ],
};

function procMountFinding(spec: PodSpec): Finding | undefined {
  const names: string[] = [];
  const types = new Set<string>();
  for (const c of allContainers(spec)) {
    const pm = c.securityContext?.procMount;
    if (pm != null && pm !== 'Default') {
      names.push(nameOf(c));
      types.add(String(pm));
    }
  }
  if (!names.length) return undefined;
  return {
    reason: 'procMount',
    detail: `${containersPhrase(names)} must not set securityContext.procMount to ${quoted(types)}`,
  };
}

/** procMount: the default /proc mask; from v1.35 pods in a user namespace (hostUsers: false) may relax it. */
export const procMount: PssCheck = {
  id: 'procMount',
  level: 'baseline',
  versions: [
    { minVersion: 0, evaluate: (_m, s) => procMountFinding(s) },
    {
      minVersion: 35,
      evaluate: (_m, s) => (s.hostUsers === false ? undefined : procMountFinding(s)),
    },
  ],
};

/** procMount_restricted (v1.35+): the default /proc mask regardless of user namespaces. */
export const procMountRestricted: PssCheck = {
  id: 'procMount_restricted',
  level: 'restricted',
  versions: [
    { minVersion: 35, overrides: ['procMount'], evaluate: (_m, s) => procMountFinding(s) },
  ],
};
