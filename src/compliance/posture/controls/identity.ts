/**
 * Workload controls on identity and placement: service account tokens, default accounts and
 * namespaces, unmanaged pods, SSH, probes aimed at other hosts.
 * @module
 */
import type { Container, KubeObject } from '../../manifests/index.ts';
import type { Control } from '../types.ts';
import { cname, containersOf, deployment, goodContainer, goodSpec } from './util.ts';

/** VP-033 service account token automounted. */
export const tokenAutomount: Control = {
  id: 'VP-033',
  name: 'Service account token mounted',
  severity: 'medium',
  description:
    "A mounted service account token lets anything in the container call the Kubernetes API with the pod's identity.",
  remediation:
    'Set automountServiceAccountToken: false on the pod (or its ServiceAccount) unless it calls the API.',
  mappings: {
    nsa: ['Pod security: protecting pod service account tokens'],
    cis: ['5.1.6'],
    mitre: ['T1528', 'T1552.007'],
    kubescape: ['C-0034'],
  },
  target: 'workload',
  check: (s, ctx) => {
    const spec = s.pod?.spec;
    if (!spec || spec.automountServiceAccountToken === false) return [];
    if (spec.automountServiceAccountToken !== true) {
      const saName = spec.serviceAccountName ?? spec.serviceAccount ?? 'default';
      const sa = (ctx.byKind.get('ServiceAccount') ?? []).find(
        (x) => x.metadata?.name === saName && (x.metadata?.namespace ?? 'default') === s.namespace,
      );
      if (sa && sa.automountServiceAccountToken === false) return [];
    }
    return ['pod mounts a service account token (automountServiceAccountToken is not false)'];
  },
  examples: {
    pass: [deployment(goodSpec())],
    fail: [deployment(goodSpec(goodContainer(), { automountServiceAccountToken: true }))],
  },
};

/** VP-034 default service account. */
export const defaultServiceAccount: Control = {
  id: 'VP-034',
  name: 'Default service account used',
  severity: 'low',
  description:
    'Workloads sharing the namespace default service account share whatever permissions anyone grants it.',
  remediation: 'Create a dedicated ServiceAccount per workload and set serviceAccountName.',
  mappings: {
    nsa: ['Authentication and authorization: RBAC'],
    cis: ['5.1.5'],
    mitre: ['T1078.001'],
    kubescape: ['C-0189'],
  },
  target: 'workload',
  check: (s) => {
    const sa = s.pod?.spec.serviceAccountName ?? s.pod?.spec.serviceAccount;
    return !sa || sa === 'default' ? ['pod runs as the default service account'] : [];
  },
  examples: {
    pass: [deployment(goodSpec())],
    fail: [deployment(goodSpec(goodContainer(), { serviceAccountName: 'default' }))],
  },
};

const namespacedKinds = new Set([
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicationController',
  'Service',
  'ConfigMap',
  'Secret',
  'Ingress',
  'Role',
  'RoleBinding',
  'ServiceAccount',
]);

/** VP-035 objects in the default namespace. */
export const defaultNamespace: Control = {
  id: 'VP-035',
  name: 'Default namespace used',
  severity: 'low',
  description:
    'The default namespace has no boundary of its own: policies, quotas and RBAC are rarely scoped to it.',
  remediation: 'Deploy into a dedicated namespace.',
  mappings: {
    nsa: ['Network separation: namespaces'],
    cis: ['5.7.1', '5.7.4'],
    kubescape: ['C-0212'],
  },
  target: [...namespacedKinds].sort(),
  // the kubernetes Service in default is created by the API server itself
  check: (s) =>
    s.namespace === 'default' && !(s.kind === 'Service' && s.name === 'kubernetes')
      ? [`${s.kind} lives in the default namespace`]
      : [],
  examples: { pass: [deployment(goodSpec())], fail: [deployment(goodSpec(), 'web', 'default')] },
};

/** VP-036 pods without a controller. */
export const nakedPod: Control = {
  id: 'VP-036',
  name: 'Pod without a controller',
  severity: 'low',
  description:
    'A bare Pod is not rescheduled when its node fails and hides outside the usual rollout and review path.',
  remediation: 'Run the pod through a Deployment, StatefulSet, DaemonSet or Job.',
  mappings: {},
  target: ['Pod'],
  check: (s) =>
    Array.isArray(s.obj.metadata?.ownerReferences) &&
    (s.obj.metadata.ownerReferences as unknown[]).length > 0
      ? []
      : ['pod has no owning controller'],
  examples: {
    pass: [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'web-1',
          namespace: 'shop',
          ownerReferences: [{ kind: 'ReplicaSet', name: 'web' }],
        },
        spec: goodSpec(),
      } as KubeObject,
    ],
    fail: [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web-1', namespace: 'shop' },
        spec: goodSpec(),
      } as KubeObject,
    ],
  },
};

/** VP-037 SSH server port. */
export const sshPort: Control = {
  id: 'VP-037',
  name: 'SSH port exposed by container',
  severity: 'medium',
  description:
    'An SSH server inside a container is a remote-access backdoor outside Kubernetes authentication and audit.',
  remediation: 'Remove the SSH server; use kubectl exec with RBAC and audit for debugging.',
  mappings: { mitre: ['T1021.004'], kubescape: ['C-0042'] },
  target: 'workload',
  check: (s) =>
    containersOf(s).flatMap((c) =>
      (Array.isArray(c.ports) ? c.ports : []).some(
        (p) => p?.containerPort === 22 || p?.containerPort === 2222,
      )
        ? [`${cname(c)} exposes an SSH port`]
        : [],
    ),
  examples: {
    pass: [deployment(goodSpec(goodContainer({ ports: [{ containerPort: 8080 }] })))],
    fail: [deployment(goodSpec(goodContainer({ ports: [{ containerPort: 22 }] })))],
  },
};

function probeHosts(c: Container): string[] {
  const hs: string[] = [];
  for (const h of [
    c.livenessProbe,
    c.readinessProbe,
    c.startupProbe,
    c.lifecycle?.postStart,
    c.lifecycle?.preStop,
  ]) {
    for (const host of [h?.httpGet?.host, h?.tcpSocket?.host])
      if (typeof host === 'string' && host !== '') hs.push(host);
  }
  return hs;
}

/** VP-038 probes or lifecycle hooks aimed at another host. */
export const probeHost: Control = {
  id: 'VP-038',
  name: 'Probe or lifecycle hook targets another host',
  severity: 'low',
  description:
    'A probe or lifecycle handler with a host field makes the kubelet connect to arbitrary addresses (server-side request forgery from the node).',
  remediation: 'Remove the host field from httpGet/tcpSocket probes and lifecycle handlers.',
  mappings: { nsa: ['Pod security: pod security enforcement'], mitre: ['T1090'] },
  target: 'workload',
  check: (s) =>
    containersOf(s).flatMap((c) =>
      probeHosts(c).map((h) => `${cname(c)} probes or hooks host ${JSON.stringify(h)}`),
    ),
  examples: {
    pass: [deployment(goodSpec())],
    fail: [
      deployment(
        goodSpec(
          goodContainer({
            livenessProbe: { httpGet: { host: '169.254.169.254', path: '/', port: 80 } },
          }),
        ),
      ),
    ],
  },
};
