/**
 * Mandatory access control and syscall filtering checks: SELinux options, AppArmor and
 * seccomp profiles (baseline and restricted).
 * @module
 */
import {
  allContainers,
  type CommonSecurityContext,
  type PodMeta,
  type PodSpec,
} from '../../manifests/index.ts';
import type { Finding, PssCheck } from '../types.ts';
import { containersPhrase, isWindows, nameOf, quoted } from './util.ts';

function seLinuxBad(
  sc: CommonSecurityContext | null | undefined,
  types: Set<string>,
  bad: { type: Set<string>; user: boolean; role: boolean },
): boolean {
  const o = sc?.seLinuxOptions;
  if (!o) return false;
  let hit = false;
  if (o.type != null && !types.has(o.type)) {
    bad.type.add(String(o.type));
    hit = true;
  }
  if (o.user != null && o.user !== '') bad.user = hit = true;
  if (o.role != null && o.role !== '') bad.role = hit = true;
  return hit;
}

function seLinux(allowed: Set<string>) {
  return (_meta: PodMeta, spec: PodSpec): Finding | undefined => {
    const bad = { type: new Set<string>(), user: false, role: false };
    const pod = seLinuxBad(spec.securityContext, allowed, bad);
    const names = allContainers(spec)
      .filter((c) => seLinuxBad(c.securityContext, allowed, bad))
      .map(nameOf);
    if (!pod && !names.length) return undefined;
    const who = [pod ? 'pod' : '', names.length ? containersPhrase(names) : '']
      .filter(Boolean)
      .join(' and ');
    const what: string[] = [];
    if (bad.type.size) what.push(`seLinuxOptions.type ${quoted(bad.type)}`);
    if (bad.user) what.push('seLinuxOptions.user');
    if (bad.role) what.push('seLinuxOptions.role');
    return {
      reason: 'seLinuxOptions',
      detail: `${who} set forbidden securityContext.${what.join(', ')}`,
    };
  };
}

const seLinuxTypes10 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const seLinuxTypes131 = new Set([...seLinuxTypes10, 'container_engine_t']);

/** seLinuxOptions: only the container SELinux types; user and role unset. */
export const seLinuxOptions: PssCheck = {
  id: 'seLinuxOptions',
  level: 'baseline',
  versions: [
    { minVersion: 0, evaluate: seLinux(seLinuxTypes10) },
    { minVersion: 31, evaluate: seLinux(seLinuxTypes131) },
  ],
};

const appArmorPrefix = 'container.apparmor.security.beta.kubernetes.io/';

function appArmorFieldBad(sc: CommonSecurityContext | null | undefined): string | undefined {
  const t = sc?.appArmorProfile?.type;
  return t != null && t !== 'RuntimeDefault' && t !== 'Localhost' ? String(t) : undefined;
}

/** appArmorProfile: AppArmor annotations and fields may only name the runtime default or a localhost profile. */
export const appArmorProfile: PssCheck = {
  id: 'appArmorProfile',
  level: 'baseline',
  versions: [
    {
      minVersion: 0,
      evaluate(meta, spec) {
        const bad: string[] = [];
        for (const [k, v] of Object.entries(meta.annotations ?? {})) {
          if (!k.startsWith(appArmorPrefix)) continue;
          const val = String(v);
          if (val !== '' && val !== 'runtime/default' && !val.startsWith('localhost/'))
            bad.push(`${k}=${JSON.stringify(val)}`);
        }
        const pod = appArmorFieldBad(spec.securityContext);
        if (pod) bad.push(`pod securityContext.appArmorProfile.type=${JSON.stringify(pod)}`);
        for (const c of allContainers(spec)) {
          const t = appArmorFieldBad(c.securityContext);
          if (t)
            bad.push(
              `container ${JSON.stringify(nameOf(c))} securityContext.appArmorProfile.type=${JSON.stringify(t)}`,
            );
        }
        if (!bad.length) return undefined;
        return {
          reason: bad.length > 1 ? 'forbidden AppArmor profiles' : 'forbidden AppArmor profile',
          detail: bad.join(', '),
        };
      },
    },
  ],
};

const seccompPodAnnotation = 'seccomp.security.alpha.kubernetes.io/pod';
const seccompContainerPrefix = 'container.seccomp.security.alpha.kubernetes.io/';

function validSeccompAnnotation(v: string): boolean {
  return v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
}

function validSeccompType(t: unknown): boolean {
  return t === 'RuntimeDefault' || t === 'Localhost';
}

/** v1.0-v1.18 read the seccomp annotations (the fields did not exist yet). */
function seccompBaselineAnnotations(meta: PodMeta): Finding | undefined {
  const bad: string[] = [];
  for (const [k, v] of Object.entries(meta.annotations ?? {})) {
    if (
      (k === seccompPodAnnotation || k.startsWith(seccompContainerPrefix)) &&
      !validSeccompAnnotation(String(v))
    )
      bad.push(`${k}=${JSON.stringify(String(v))}`);
  }
  return bad.length
    ? {
        reason: 'seccompProfile',
        detail: `forbidden annotation${bad.length > 1 ? 's' : ''} ${bad.join(', ')}`,
      }
    : undefined;
}

/** v1.19+ read the seccompProfile fields: Unconfined (or anything unknown) is forbidden, unset is fine. */
function seccompBaselineFields(_meta: PodMeta, spec: PodSpec): Finding | undefined {
  const parts: string[] = [];
  const pt = spec.securityContext?.seccompProfile?.type;
  if (pt != null && !validSeccompType(pt))
    parts.push(`pod must not set securityContext.seccompProfile.type to ${JSON.stringify(pt)}`);
  const names: string[] = [];
  const types = new Set<string>();
  for (const c of allContainers(spec)) {
    const t = c.securityContext?.seccompProfile?.type;
    if (t != null && !validSeccompType(t)) {
      names.push(nameOf(c));
      types.add(String(t));
    }
  }
  if (names.length)
    parts.push(
      `${containersPhrase(names)} must not set securityContext.seccompProfile.type to ${quoted(types)}`,
    );
  return parts.length ? { reason: 'seccompProfile', detail: parts.join('; ') } : undefined;
}

/** seccompProfile_baseline: no Unconfined seccomp profiles (annotations before v1.19, fields after). */
export const seccompProfileBaseline: PssCheck = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  versions: [
    { minVersion: 0, evaluate: (m) => seccompBaselineAnnotations(m) },
    { minVersion: 19, evaluate: seccompBaselineFields },
  ],
};

function seccompRestricted(_meta: PodMeta, spec: PodSpec): Finding | undefined {
  const parts: string[] = [];
  let podSet = false;
  const pt = spec.securityContext?.seccompProfile;
  if (pt != null) {
    if (validSeccompType(pt.type)) podSet = true;
    else
      parts.push(
        `pod must not set securityContext.seccompProfile.type to ${JSON.stringify(pt.type ?? '')}`,
      );
  }
  const explicit: string[] = [];
  const types = new Set<string>();
  const unset: string[] = [];
  for (const c of allContainers(spec)) {
    const cp = c.securityContext?.seccompProfile;
    if (cp == null) {
      if (!podSet) unset.push(nameOf(c));
    } else if (!validSeccompType(cp.type)) {
      explicit.push(nameOf(c));
      types.add(String(cp.type ?? ''));
    }
  }
  if (explicit.length)
    parts.push(
      `${containersPhrase(explicit)} must not set securityContext.seccompProfile.type to ${quoted(types)}`,
    );
  if (unset.length)
    parts.push(
      `pod or ${containersPhrase(unset)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
    );
  return parts.length ? { reason: 'seccompProfile', detail: parts.join('; ') } : undefined;
}

/** seccompProfile_restricted (v1.19+): RuntimeDefault or Localhost at pod level or on every container; Windows exempt from v1.25. */
export const seccompProfileRestricted: PssCheck = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  versions: [
    { minVersion: 19, overrides: ['seccompProfile_baseline'], evaluate: seccompRestricted },
    {
      minVersion: 25,
      overrides: ['seccompProfile_baseline'],
      evaluate: (m, s) => (isWindows(s) ? undefined : seccompRestricted(m, s)),
    },
  ],
};
