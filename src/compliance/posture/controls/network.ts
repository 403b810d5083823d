/**
 * Cluster controls on network exposure and segmentation, plus namespace admission labels.
 * @module
 */
import type { KubeObject } from '../../manifests/index.ts';
import type { Control, ScanContext } from '../types.ts';
import { deployment, goodSpec } from './util.ts';

const netpol = 'Network separation: network policies';
/** Namespaces run by the platform itself, exempt from namespace-coverage controls. */
export const systemNamespaces = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

function policiesIn(ctx: ScanContext, ns: string): KubeObject[] {
  return (ctx.byKind.get('NetworkPolicy') ?? []).filter(
    (p) => (p.metadata?.namespace ?? '') === ns,
  );
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Label-selector matching as the API server does it (an empty selector matches everything). */
export function selects(sel: Selector | undefined, labels: Record<string, string>): boolean {
  if (!sel || typeof sel !== 'object') return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {}))
    if (labels[k] !== String(v)) return false;
  for (const e of Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const vals = (e.values ?? []).map(String);
    if (e.operator === 'In' && !(has && vals.includes(labels[e.key]!))) return false;
    if (e.operator === 'NotIn' && has && vals.includes(labels[e.key]!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function coversIngress(p: KubeObject): boolean {
  const spec = (p.spec ?? {}) as { policyTypes?: string[]; egress?: unknown };
  // without policyTypes a policy always covers ingress (egress only when it has egress rules)
  return !Array.isArray(spec.policyTypes) || spec.policyTypes.includes('Ingress');
}

const np = (ns: string, podSelector: Selector = {}): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'default-deny', namespace: ns },
  spec: { podSelector, policyTypes: ['Ingress', 'Egress'] },
});

/** VC-015 namespaces without network policies. */
export const namespaceNetpol: Control = {
  id: 'VC-015',
  name: 'Namespace without NetworkPolicy',
  severity: 'medium',
  description:
    'Without any NetworkPolicy every pod in the namespace accepts traffic from every pod in the cluster.',
  remediation:
    'Add a default-deny NetworkPolicy to the namespace and allow the flows the apps need.',
  mappings: { nsa: [netpol], cis: ['5.3.2'], mitre: ['T1046'], kubescape: ['C-0206', 'C-0054'] },
  target: 'namespace',
  check: (s, ctx) =>
    systemNamespaces.has(s.name) || policiesIn(ctx, s.name).length
      ? []
      : ['namespace has no NetworkPolicy'],
  examples: { pass: [deployment(goodSpec()), np('shop')], fail: [deployment(goodSpec())] },
};

/** VC-016 workloads no ingress policy selects. */
export const workloadIngress: Control = {
  id: 'VC-016',
  name: 'Workload not isolated for ingress',
  severity: 'medium',
  description:
    'Pods that no ingress NetworkPolicy selects accept connections from anywhere in the cluster.',
  remediation:
    "Select the workload's pods with a NetworkPolicy that has policyTypes Ingress (a default-deny with an empty podSelector covers all).",
  mappings: { nsa: [netpol], mitre: ['T1046'], kubescape: ['C-0030'] },
  target: 'workload',
  check: (s, ctx) => {
    if (systemNamespaces.has(s.namespace) || s.pod?.spec.hostNetwork === true) return [];
    const labels = (s.pod?.meta.labels ?? {}) as Record<string, string>;
    const covered = policiesIn(ctx, s.namespace).some(
      (p) =>
        coversIngress(p) && selects((p.spec as { podSelector?: Selector })?.podSelector, labels),
    );
    return covered ? [] : ['no ingress NetworkPolicy selects its pods'];
  },
  examples: {
    pass: [deployment(goodSpec()), np('shop', { matchLabels: { app: 'web' } })],
    fail: [deployment(goodSpec()), np('shop', { matchLabels: { app: 'db' } })],
  },
};

function service(type: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { type, selector: { app: 'web' }, ports: [{ port: 80 }], ...extra },
  };
}

/** VC-017 NodePort services. */
export const nodePort: Control = {
  id: 'VC-017',
  name: 'Service exposed on node ports',
  severity: 'medium',
  description:
    'NodePort services open a port on every node, usually reachable from outside the cluster network.',
  remediation:
    'Use ClusterIP behind an Ingress or a LoadBalancer with source ranges; firewall node ports.',
  mappings: { nsa: [netpol], mitre: ['T1133'], kubescape: ['C-0021'] },
  target: ['Service'],
  check: (s) =>
    (s.obj.spec as { type?: string } | undefined)?.type === 'NodePort'
      ? ['service type is NodePort']
      : [],
  examples: { pass: [service('ClusterIP')], fail: [service('NodePort')] },
};

/** VC-018 LoadBalancer services or external IPs without source restriction. */
export const loadBalancer: Control = {
  id: 'VC-018',
  name: 'Service exposed to external networks',
  severity: 'medium',
  description:
    'LoadBalancer services without loadBalancerSourceRanges, and services with externalIPs, accept traffic from any address.',
  remediation:
    'Restrict loadBalancerSourceRanges, or expose through an authenticated Ingress; avoid externalIPs.',
  mappings: { nsa: [netpol], mitre: ['T1190', 'T1133'], kubescape: ['C-0256'] },
  target: ['Service'],
  check: (s) => {
    const spec = (s.obj.spec ?? {}) as {
      type?: string;
      loadBalancerSourceRanges?: string[];
      externalIPs?: string[];
    };
    const out: string[] = [];
    if (
      spec.type === 'LoadBalancer' &&
      !(Array.isArray(spec.loadBalancerSourceRanges) && spec.loadBalancerSourceRanges.length)
    )
      out.push('LoadBalancer without loadBalancerSourceRanges');
    if (Array.isArray(spec.externalIPs) && spec.externalIPs.length)
      out.push(`externalIPs ${spec.externalIPs.join(', ')}`);
    return out;
  },
  examples: {
    pass: [service('LoadBalancer', { loadBalancerSourceRanges: ['10.0.0.0/8'] })],
    fail: [service('LoadBalancer')],
  },
};

/** VC-019 Ingress without TLS. */
export const ingressTls: Control = {
  id: 'VC-019',
  name: 'Ingress without TLS',
  severity: 'medium',
  description:
    'An Ingress without a tls section serves plain HTTP; credentials and sessions cross the network unencrypted.',
  remediation: 'Add spec.tls with a certificate for every host.',
  mappings: { nsa: ['Network separation: encryption'], mitre: ['T1040'], kubescape: ['C-0263'] },
  target: ['Ingress'],
  check: (s) => {
    const tls = (s.obj.spec as { tls?: unknown[] } | undefined)?.tls;
    return Array.isArray(tls) && tls.length ? [] : ['ingress has no TLS'];
  },
  examples: {
    pass: [
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'web', namespace: 'shop' },
        spec: {
          tls: [{ hosts: ['shop.example.com'], secretName: 'tls' }],
          rules: [{ host: 'shop.example.com' }],
        },
      },
    ],
    fail: [
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { rules: [{ host: 'shop.example.com' }] },
      },
    ],
  },
};

const ns = (labels: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'shop', labels },
});

/** VC-020 namespaces without Pod Security Admission enforcement. */
export const namespacePsa: Control = {
  id: 'VC-020',
  name: 'Namespace without Pod Security enforcement',
  severity: 'medium',
  description:
    'Without a pod-security.kubernetes.io/enforce label of baseline or restricted, Pod Security Admission lets any pod in.',
  remediation:
    'Label the namespace pod-security.kubernetes.io/enforce=restricted (or baseline where needed).',
  mappings: {
    nsa: ['Pod security: pod security enforcement'],
    cis: ['5.2.1'],
    mitre: ['T1610'],
    kubescape: ['C-0192'],
  },
  target: ['Namespace'],
  check: (s) => {
    if (systemNamespaces.has(s.name)) return [];
    const level = s.obj.metadata?.labels?.['pod-security.kubernetes.io/enforce'];
    return level === 'baseline' || level === 'restricted'
      ? []
      : [`enforce level is ${level ? JSON.stringify(level) : 'unset'}`];
  },
  examples: {
    pass: [ns({ 'pod-security.kubernetes.io/enforce': 'restricted' })],
    fail: [ns({ 'pod-security.kubernetes.io/enforce': 'privileged' })],
  },
};
