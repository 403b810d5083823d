/**
 * Workload controls on reaching the host: namespaces, ports, hostPath and runtime sockets.
 * @module
 */
import type { Volume } from '../../manifests/index.ts';
import type { Control, Subject } from '../types.ts';
import { cname, containersOf, deployment, goodContainer, goodSpec } from './util.ts';

const enforcement = 'Pod security: pod security enforcement';

function hostFlag(
  id: string,
  field: 'hostPID' | 'hostIPC' | 'hostNetwork',
  cis: string,
  ks: string,
  what: string,
): Control {
  return {
    id,
    name: `Host ${field.slice(4)} namespace shared`,
    severity: 'high',
    description: `${field}: true puts the pod in the node's ${what}.`,
    remediation: `Remove ${field}: true from the pod spec.`,
    mappings: {
      nsa: [enforcement],
      cis: [cis],
      mitre: field === 'hostNetwork' ? ['T1611', 'T1046'] : ['T1611'],
      kubescape: [ks],
    },
    target: 'workload',
    check: (s) => (s.pod?.spec[field] === true ? [`pod sets ${field}: true`] : []),
    examples: {
      pass: [deployment(goodSpec())],
      fail: [deployment(goodSpec(goodContainer(), { [field]: true }))],
    },
  };
}

/** VP-010 hostPID. */
export const hostPid = hostFlag(
  'VP-010',
  'hostPID',
  '5.2.3',
  'C-0038',
  'process namespace, so it can see and signal every host process',
);
/** VP-011 hostIPC. */
export const hostIpc = hostFlag(
  'VP-011',
  'hostIPC',
  '5.2.4',
  'C-0038',
  'IPC namespace, so it can read shared memory of host processes',
);
/** VP-012 hostNetwork. */
export const hostNetwork = hostFlag(
  'VP-012',
  'hostNetwork',
  '5.2.5',
  'C-0041',
  'network namespace, so it can sniff node traffic and bypass network policies',
);

/** VP-013 hostPort. */
export const hostPortControl: Control = {
  id: 'VP-013',
  name: 'Container binds a host port',
  severity: 'medium',
  description:
    'hostPort exposes the container on the node address, outside Services and network policies.',
  remediation: 'Remove hostPort from container ports; expose through a Service instead.',
  mappings: { nsa: [enforcement], cis: ['5.2.13'], mitre: ['T1133'], kubescape: ['C-0044'] },
  target: 'workload',
  check: (s) =>
    containersOf(s).flatMap((c) => {
      const ports = (Array.isArray(c.ports) ? c.ports : [])
        .filter((p) => p && typeof p.hostPort === 'number' && p.hostPort !== 0)
        .map((p) => p.hostPort);
      return ports.length ? [`${cname(c)} binds host port ${ports.join(', ')}`] : [];
    }),
  examples: {
    pass: [deployment(goodSpec(goodContainer({ ports: [{ containerPort: 8080 }] })))],
    fail: [deployment(goodSpec(goodContainer({ ports: [{ containerPort: 8080, hostPort: 80 }] })))],
  },
};

function hostPathVolumes(s: Subject): Volume[] {
  const v = s.pod?.spec.volumes;
  return (Array.isArray(v) ? v : []).filter(
    (x) => x && typeof x === 'object' && x.hostPath != null,
  );
}

const hostPathExample = (readOnly: boolean, path = '/var/log') =>
  deployment(
    goodSpec(goodContainer({ volumeMounts: [{ name: 'h', mountPath: '/host', readOnly }] }), {
      volumes: [{ name: 'h', hostPath: { path } }],
    }),
  );

/** VP-014 hostPath volume. */
export const hostPathControl: Control = {
  id: 'VP-014',
  name: 'hostPath volume',
  severity: 'high',
  description:
    'hostPath volumes give the pod direct access to node files, a common first step to escaping the container.',
  remediation: 'Replace hostPath volumes with emptyDir, configMap, secret or persistent volumes.',
  mappings: { nsa: [enforcement], cis: ['5.2.12'], mitre: ['T1611'], kubescape: ['C-0048'] },
  target: 'workload',
  check: (s) =>
    hostPathVolumes(s).map(
      (v) =>
        `volume ${JSON.stringify(v.name ?? '')} mounts host path ${JSON.stringify(v.hostPath?.path ?? '')}`,
    ),
  examples: {
    pass: [deployment(goodSpec(goodContainer(), { volumes: [{ name: 'tmp', emptyDir: {} }] }))],
    fail: [hostPathExample(true)],
  },
};

/** VP-015 writable hostPath mount. */
export const writableHostPath: Control = {
  id: 'VP-015',
  name: 'Writable hostPath mount',
  severity: 'high',
  description:
    'A hostPath mounted read-write lets the container plant files on the node (cron jobs, binaries, kubelet config).',
  remediation: 'Mount hostPath volumes with readOnly: true, or remove them.',
  mappings: { nsa: [enforcement], mitre: ['T1611'], kubescape: ['C-0045'] },
  target: 'workload',
  check: (s) => {
    const names = new Set(hostPathVolumes(s).map((v) => v.name));
    return containersOf(s).flatMap((c) =>
      (Array.isArray(c.volumeMounts) ? c.volumeMounts : [])
        .filter((m) => m && names.has(m.name) && m.readOnly !== true)
        .map(
          (m) =>
            `${cname(c)} mounts hostPath volume ${JSON.stringify(m.name)} writable at ${m.mountPath}`,
        ),
    );
  },
  examples: { pass: [hostPathExample(true)], fail: [hostPathExample(false)] },
};

const sockets = [
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/run/containerd/containerd.sock',
  '/var/run/containerd/containerd.sock',
  '/run/k3s/containerd/containerd.sock',
  '/var/run/crio/crio.sock',
  '/run/crio/crio.sock',
];

/** VP-016 container runtime socket mounted. */
export const runtimeSocket: Control = {
  id: 'VP-016',
  name: 'Container runtime socket mounted',
  severity: 'critical',
  description:
    'Access to the Docker, containerd or CRI-O socket lets the pod start privileged containers on the node.',
  remediation:
    'Do not mount container runtime sockets (or their parent directories) into workloads.',
  mappings: { nsa: [enforcement], mitre: ['T1610', 'T1611'], kubescape: ['C-0074'] },
  target: 'workload',
  check: (s) =>
    hostPathVolumes(s)
      .filter((v) => {
        const raw = String(v.hostPath?.path ?? '');
        const p = raw.replace(/\/+$/, '');
        // mounting / (p is then empty) or any parent directory exposes the socket too
        return (
          raw.startsWith('/') && sockets.some((sock) => sock === p || sock.startsWith(p + '/'))
        );
      })
      .map(
        (v) =>
          `volume ${JSON.stringify(v.name ?? '')} exposes the container runtime socket (${v.hostPath?.path})`,
      ),
  examples: {
    pass: [hostPathExample(true, '/var/log')],
    fail: [hostPathExample(true, '/run/k3s/containerd/containerd.sock')],
  },
};
