/**
 * Workload controls on kernel-level hardening: read-only root, seccomp, AppArmor/SELinux, sysctls.
 * @module
 */
import type { Control } from '../types.ts';
import { deployment, eachContainer, goodContainer, goodSpec, withSc } from './util.ts';

/** VP-017 writable root filesystem. */
export const readOnlyRoot: Control = {
  id: 'VP-017',
  name: 'Writable root filesystem',
  severity: 'low',
  description:
    'A writable root filesystem lets an intruder drop tools and change binaries inside the running container.',
  remediation:
    'Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where the app must write.',
  mappings: {
    nsa: ['Pod security: immutable container file systems'],
    mitre: ['T1525'],
    kubescape: ['C-0017'],
  },
  target: 'workload',
  check: (s) =>
    eachContainer(
      s,
      (c) => c.securityContext?.readOnlyRootFilesystem !== true,
      'has a writable root filesystem',
    ),
  examples: { pass: [withSc({})], fail: [withSc({ readOnlyRootFilesystem: false })] },
};

const okSeccomp = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';

/** VP-018 seccomp profile missing or Unconfined. */
export const seccomp: Control = {
  id: 'VP-018',
  name: 'Seccomp profile not set',
  severity: 'medium',
  description:
    'Without a seccomp profile (or with Unconfined) every syscall is reachable, widening the kernel attack surface.',
  remediation:
    'Set securityContext.seccompProfile.type: RuntimeDefault at pod level (or Localhost with a reviewed profile).',
  mappings: {
    nsa: ['Pod security: hardening container environments'],
    cis: ['5.7.2'],
    mitre: ['T1611'],
    kubescape: ['C-0210'],
  },
  target: 'workload',
  check: (s) => {
    const podType = s.pod?.spec.securityContext?.seccompProfile?.type;
    const podOk = okSeccomp(podType);
    const out = podType != null && !podOk ? [`pod sets seccompProfile ${podType}`] : [];
    return out.concat(
      eachContainer(
        s,
        (c) => {
          const t = c.securityContext?.seccompProfile?.type;
          return t == null ? !podOk : !okSeccomp(t);
        },
        'has no RuntimeDefault or Localhost seccomp profile',
      ),
    );
  },
  examples: {
    pass: [deployment(goodSpec())],
    fail: [
      deployment(
        goodSpec({
          ...goodContainer(),
          securityContext: {
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'Unconfined' },
          },
        }),
      ),
    ],
  },
};

/** VP-019 no Linux security module confinement at all. */
export const linuxHardening: Control = {
  id: 'VP-019',
  name: 'No Linux hardening',
  severity: 'medium',
  description:
    'A container with no seccomp, AppArmor or SELinux setting and no dropped capabilities relies only on namespaces for isolation.',
  remediation:
    'Apply at least one of: seccompProfile RuntimeDefault, an AppArmor profile, SELinux options, or capabilities.drop.',
  mappings: {
    nsa: ['Pod security: hardening container environments'],
    mitre: ['T1611'],
    kubescape: ['C-0055'],
  },
  target: 'workload',
  check: (s) => {
    const pod = s.pod?.spec.securityContext;
    const ann = s.pod?.meta.annotations ?? {};
    const podHardened =
      pod?.seccompProfile != null || pod?.appArmorProfile != null || pod?.seLinuxOptions != null;
    if (podHardened) return [];
    return eachContainer(
      s,
      (c) => {
        const sc = c.securityContext;
        const annotated =
          typeof ann === 'object' &&
          Object.keys(ann).some(
            (k) => k.endsWith(`/${c.name}`) && (k.includes('apparmor') || k.includes('seccomp')),
          );
        return (
          !annotated &&
          sc?.seccompProfile == null &&
          sc?.appArmorProfile == null &&
          sc?.seLinuxOptions == null &&
          !Array.isArray(sc?.capabilities?.drop)
        );
      },
      'has no seccomp, AppArmor, SELinux or dropped capabilities',
    );
  },
  examples: {
    pass: [deployment(goodSpec())],
    fail: [
      deployment(
        goodSpec(
          { name: 'app', image: 'registry.example.com/a:1' },
          { securityContext: { runAsNonRoot: true } },
        ),
      ),
    ],
  },
};

const selinuxTypes = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);

/** VP-020 custom SELinux options. */
export const seLinux: Control = {
  id: 'VP-020',
  name: 'Custom SELinux options',
  severity: 'medium',
  description:
    'Setting SELinux user, role or a non-container type can lift the confinement SELinux gives containers.',
  remediation: 'Remove seLinuxOptions.user/role and use only the container_* types.',
  mappings: { nsa: ['Pod security: pod security enforcement'], mitre: ['T1611'] },
  target: 'workload',
  check: (s) => {
    const bad = (o: { type?: string; user?: string; role?: string } | null | undefined) =>
      !!o && ((o.type != null && !selinuxTypes.has(o.type)) || !!o.user || !!o.role);
    const out = bad(s.pod?.spec.securityContext?.seLinuxOptions)
      ? ['pod sets custom seLinuxOptions']
      : [];
    return out.concat(
      eachContainer(s, (c) => bad(c.securityContext?.seLinuxOptions), 'sets custom seLinuxOptions'),
    );
  },
  examples: {
    pass: [withSc({ seLinuxOptions: { type: 'container_t' } })],
    fail: [withSc({ seLinuxOptions: { type: 'spc_t' } })],
  },
};

const safeSysctls = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);

/** VP-021 unsafe sysctls. */
export const unsafeSysctls: Control = {
  id: 'VP-021',
  name: 'Unsafe sysctls',
  severity: 'medium',
  description:
    'Sysctls outside the namespaced safe set can change kernel behaviour for every pod on the node.',
  remediation:
    'Remove unsafe entries from securityContext.sysctls; tune the node instead if really needed.',
  mappings: { nsa: ['Pod security: pod security enforcement'], mitre: ['T1611'] },
  target: 'workload',
  check: (s) => {
    const list = s.pod?.spec.securityContext?.sysctls;
    return (Array.isArray(list) ? list : [])
      .filter((x) => !safeSysctls.has(String(x?.name)))
      .map((x) => `pod sets unsafe sysctl ${x?.name}`);
  },
  examples: {
    pass: [
      deployment(
        goodSpec(goodContainer(), {
          securityContext: {
            runAsNonRoot: true,
            seccompProfile: { type: 'RuntimeDefault' },
            sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }],
          },
        }),
      ),
    ],
    fail: [
      deployment(
        goodSpec(goodContainer(), {
          securityContext: {
            runAsNonRoot: true,
            seccompProfile: { type: 'RuntimeDefault' },
            sysctls: [{ name: 'kernel.msgmax', value: '1' }],
          },
        }),
      ),
    ],
  },
};
