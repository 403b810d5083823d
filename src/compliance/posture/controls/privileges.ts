/**
 * Workload controls on container privileges: privileged mode, escalation, root, capabilities.
 * @module
 */
import type { Container } from '../../manifests/index.ts';
import type { Control, Subject } from '../types.ts';
import {
  cname,
  containersOf,
  deployment,
  eachContainer,
  goodContainer,
  goodSpec,
  strs,
  withSc,
} from './util.ts';

const enforcement = 'Pod security: pod security enforcement';

/** VP-001 privileged containers. */
export const privilegedContainer: Control = {
  id: 'VP-001',
  name: 'Privileged container',
  severity: 'critical',
  description:
    'A privileged container has every capability and all host devices; escaping to the node is trivial.',
  remediation:
    'Remove securityContext.privileged or set it to false; grant only the specific capabilities needed.',
  mappings: {
    nsa: [enforcement],
    cis: ['5.2.2'],
    mitre: ['T1611', 'T1610'],
    kubescape: ['C-0057'],
  },
  target: 'workload',
  check: (s) => eachContainer(s, (c) => c.securityContext?.privileged === true, 'runs privileged'),
  examples: { pass: [withSc({ privileged: false })], fail: [withSc({ privileged: true })] },
};

/** VP-002 privilege escalation allowed. */
export const privilegeEscalation: Control = {
  id: 'VP-002',
  name: 'Privilege escalation allowed',
  severity: 'high',
  description:
    'Without allowPrivilegeEscalation: false a process can gain more privileges than its parent (setuid binaries, file capabilities).',
  remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
  mappings: {
    nsa: [enforcement],
    cis: ['5.2.6'],
    mitre: ['T1068', 'T1611'],
    kubescape: ['C-0016'],
  },
  target: 'workload',
  check: (s) =>
    eachContainer(
      s,
      (c) =>
        c.securityContext?.allowPrivilegeEscalation !== false &&
        c.securityContext?.privileged !== true,
      'does not set allowPrivilegeEscalation: false',
    ),
  examples: { pass: [withSc({})], fail: [withSc({ allowPrivilegeEscalation: true })] },
};

function runsAsRoot(s: Subject, c: Container): boolean {
  const pod = s.pod?.spec.securityContext;
  const uid = c.securityContext?.runAsUser ?? pod?.runAsUser;
  if (uid === 0) return true;
  if (typeof uid === 'number' && uid > 0) return false;
  const nonRoot = c.securityContext?.runAsNonRoot ?? pod?.runAsNonRoot;
  return nonRoot !== true;
}

/** VP-003 containers that may run as root. */
export const rootContainer: Control = {
  id: 'VP-003',
  name: 'Container may run as root',
  severity: 'medium',
  description:
    'A container running as UID 0 turns any breakout or file-system write into root access on shared resources.',
  remediation:
    'Set runAsNonRoot: true and a non-zero runAsUser at pod or container level; build images with a non-root USER.',
  mappings: {
    nsa: ['Pod security: non-root containers'],
    cis: ['5.2.7'],
    mitre: ['T1611'],
    kubescape: ['C-0013'],
  },
  target: 'workload',
  check: (s) =>
    containersOf(s)
      .filter((c) => runsAsRoot(s, c))
      .map((c) => `${cname(c)} may run as root (no runAsNonRoot: true or runAsUser: 0)`),
  examples: { pass: [withSc({})], fail: [withSc({ runAsNonRoot: false, runAsUser: 0 })] },
};

const dangerous = new Set([
  'ALL',
  'SYS_ADMIN',
  'NET_ADMIN',
  'SYS_PTRACE',
  'SYS_MODULE',
  'DAC_READ_SEARCH',
  'SYS_RAWIO',
  'SYS_BOOT',
  'BPF',
  'PERFMON',
  'SYS_TIME',
  'NET_RAW',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
]);

/** VP-004 dangerous capabilities added. */
export const dangerousCapabilities: Control = {
  id: 'VP-004',
  name: 'Dangerous capabilities added',
  severity: 'high',
  description:
    'Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or SYS_MODULE give near-root control of the node or its network.',
  remediation:
    'Remove these entries from securityContext.capabilities.add; use narrowly scoped capabilities only.',
  mappings: {
    nsa: ['Pod security: hardening container environments'],
    cis: ['5.2.9'],
    mitre: ['T1611', 'T1068'],
    kubescape: ['C-0046'],
  },
  target: 'workload',
  check: (s) =>
    containersOf(s).flatMap((c) => {
      const bad = strs(c.securityContext?.capabilities?.add)
        .map((x) => x.toUpperCase().replace(/^CAP_/, ''))
        .filter((x) => dangerous.has(x));
      return bad.length ? [`${cname(c)} adds ${bad.join(', ')}`] : [];
    }),
  examples: {
    pass: [withSc({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } })],
    fail: [withSc({ capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } })],
  },
};

/** VP-005 NET_RAW kept. */
export const netRaw: Control = {
  id: 'VP-005',
  name: 'NET_RAW capability not dropped',
  severity: 'medium',
  description:
    'NET_RAW, granted by default, allows crafting packets for ARP and DNS spoofing inside the cluster network.',
  remediation: 'Drop NET_RAW (or ALL) in securityContext.capabilities.drop.',
  mappings: {
    nsa: ['Pod security: hardening container environments'],
    cis: ['5.2.8'],
    mitre: ['T1557'],
    kubescape: ['C-0199'],
  },
  target: 'workload',
  check: (s) =>
    eachContainer(
      s,
      (c) => {
        const drop = strs(c.securityContext?.capabilities?.drop).map((x) => x.toUpperCase());
        return (
          c.securityContext?.privileged === true ||
          (!drop.includes('ALL') && !drop.includes('NET_RAW'))
        );
      },
      'does not drop NET_RAW',
    ),
  examples: {
    pass: [withSc({ capabilities: { drop: ['NET_RAW'] } })],
    fail: [withSc({ capabilities: { drop: ['CHOWN'] } })],
  },
};

/** VP-006 capabilities not dropped. */
export const dropAll: Control = {
  id: 'VP-006',
  name: 'Capabilities not minimised',
  severity: 'low',
  description:
    'Containers keep the runtime default capability set unless they drop ALL and add back only what they need.',
  remediation:
    'Set securityContext.capabilities.drop: ["ALL"] and add back individual capabilities if required.',
  mappings: {
    nsa: ['Pod security: hardening container environments'],
    cis: ['5.2.10'],
    mitre: ['T1068'],
    kubescape: ['C-0201'],
  },
  target: 'workload',
  check: (s) =>
    eachContainer(
      s,
      (c) =>
        !strs(c.securityContext?.capabilities?.drop)
          .map((x) => x.toUpperCase())
          .includes('ALL'),
      'does not drop ALL capabilities',
    ),
  examples: { pass: [withSc({})], fail: [withSc({ capabilities: { drop: ['NET_RAW'] } })] },
};

/** VP-007 Windows HostProcess. */
export const hostProcess: Control = {
  id: 'VP-007',
  name: 'Windows HostProcess container',
  severity: 'critical',
  description: 'HostProcess containers run directly on the Windows host with host privileges.',
  remediation:
    'Remove windowsOptions.hostProcess: true from the pod and container security contexts.',
  mappings: { nsa: [enforcement], cis: ['5.2.11'], mitre: ['T1611'], kubescape: ['C-0202'] },
  target: 'workload',
  check: (s) => {
    const out =
      s.pod?.spec.securityContext?.windowsOptions?.hostProcess === true
        ? ['pod sets windowsOptions.hostProcess: true']
        : [];
    return out.concat(
      eachContainer(
        s,
        (c) => c.securityContext?.windowsOptions?.hostProcess === true,
        'sets windowsOptions.hostProcess: true',
      ),
    );
  },
  examples: { pass: [withSc({})], fail: [withSc({ windowsOptions: { hostProcess: true } })] },
};

/** VP-008 unmasked /proc. */
export const procMount: Control = {
  id: 'VP-008',
  name: 'Unmasked /proc mount',
  severity: 'medium',
  description:
    'procMount: Unmasked exposes kernel interfaces under /proc that the runtime normally hides.',
  remediation: 'Remove securityContext.procMount or set it to Default.',
  mappings: { nsa: [enforcement], mitre: ['T1611'] },
  target: 'workload',
  check: (s) =>
    eachContainer(
      s,
      (c) => c.securityContext?.procMount != null && c.securityContext.procMount !== 'Default',
      'sets procMount other than Default',
    ),
  examples: { pass: [withSc({ procMount: 'Default' })], fail: [withSc({ procMount: 'Unmasked' })] },
};

/** VP-009 pods without any securityContext. */
export const noSecurityContext: Control = {
  id: 'VP-009',
  name: 'No security context',
  severity: 'low',
  description:
    'Pods and containers without any securityContext run with every runtime default, including root and all default capabilities.',
  remediation:
    'Add a pod-level securityContext and a container-level securityContext to every container.',
  mappings: {
    nsa: ['Pod security: hardening container environments'],
    cis: ['5.7.3'],
    kubescape: ['C-0211'],
  },
  target: 'workload',
  check: (s) => {
    const podSc = s.pod?.spec.securityContext;
    const podSet = !!podSc && typeof podSc === 'object' && Object.keys(podSc).length > 0;
    return podSet
      ? []
      : eachContainer(
          s,
          (c) => !c.securityContext || Object.keys(c.securityContext).length === 0,
          'has no securityContext and neither has the pod',
        );
  },
  examples: {
    pass: [withSc({})],
    fail: [
      deployment(
        goodSpec(
          { ...goodContainer(), securityContext: undefined },
          { securityContext: undefined },
        ),
      ),
    ],
  },
};
