/**
 * Cluster controls on RBAC: cluster-admin bindings, wildcards and the permissions that
 * amount to privilege escalation (secrets, pod create/exec, bind/escalate/impersonate, ...).
 * @module
 */
import type { KubeObject } from '../../manifests/index.ts';
import type { Control, Subject } from '../types.ts';

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  nonResourceURLs?: string[];
}

const rbac = 'Authentication and authorization: RBAC';
const roleKinds = ['ClusterRole', 'Role'] as const;
const bindingKinds = ['ClusterRoleBinding', 'RoleBinding'] as const;
const builtin = new Set(['cluster-admin', 'admin', 'edit', 'view']);

/** Kubernetes' own roles and bindings (system:*, the user-facing defaults) are not findings. */
function isBuiltin(o: KubeObject): boolean {
  const n = String(o.metadata?.name ?? '');
  return (
    n.startsWith('system:') ||
    builtin.has(n) ||
    o.metadata?.labels?.['kubernetes.io/bootstrapping'] === 'rbac-defaults'
  );
}

function rules(o: KubeObject): Rule[] {
  return Array.isArray(o.rules)
    ? (o.rules as Rule[]).filter((r) => r && typeof r === 'object')
    : [];
}

const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);

/** True when a rule grants one of `verbs` on one of `resources` (wildcards included). */
function grants(r: Rule, resources: string[], verbs: string[]): boolean {
  const rs = list(r.resources);
  const vs = list(r.verbs);
  return (
    rs.some((x) => x === '*' || resources.includes(x)) &&
    vs.some((x) => x === '*' || verbs.includes(x))
  );
}

function role(name: string, rs: Rule[], kind: 'Role' | 'ClusterRole' = 'ClusterRole'): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: kind === 'Role' ? { name, namespace: 'shop' } : { name },
    rules: rs,
  };
}

function permissionControl(
  id: string,
  name: string,
  resources: string[],
  verbs: string[],
  severity: Control['severity'],
  mappings: Control['mappings'],
  description: string,
): Control {
  return {
    id,
    name,
    severity,
    description,
    remediation: `Remove ${verbs.join('/')} on ${resources.join(', ')} from custom roles unless the subject truly needs it; scope it to a namespace and named resources.`,
    mappings: { nsa: [rbac], ...mappings },
    target: roleKinds,
    check: (s: Subject) =>
      isBuiltin(s.obj)
        ? []
        : rules(s.obj)
            .filter((r) => grants(r, resources, verbs))
            .map((r) => `grants ${list(r.verbs).join(',')} on ${list(r.resources).join(',')}`),
    examples: {
      pass: [role('reader', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }])],
      fail: [
        role(
          'risky',
          [{ apiGroups: [''], resources: [resources[0]!], verbs: [verbs[0]!] }],
          'Role',
        ),
      ],
    },
  };
}

function binding(roleName: string, subjects: Record<string, string>[], name = 'ops'): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
    subjects,
  };
}

/** VC-002 cluster-admin bound to non-system subjects. */
export const clusterAdminBinding: Control = {
  id: 'VC-002',
  name: 'cluster-admin bound',
  severity: 'high',
  description:
    'Subjects bound to cluster-admin can do anything in every namespace; a leaked credential is a full cluster compromise.',
  remediation: 'Bind narrower roles; keep cluster-admin for break-glass accounts only.',
  mappings: { nsa: [rbac], cis: ['5.1.1'], mitre: ['T1078', 'T1098'], kubescape: ['C-0035'] },
  target: bindingKinds,
  check: (s) => {
    if (isBuiltin(s.obj)) return [];
    const ref = s.obj.roleRef as { name?: string } | undefined;
    const subs = Array.isArray(s.obj.subjects) ? (s.obj.subjects as { name?: string }[]) : [];
    return ref?.name === 'cluster-admin'
      ? [`binds cluster-admin to ${subs.map((x) => String(x?.name ?? '')).join(', ')}`]
      : [];
  },
  examples: {
    pass: [binding('view', [{ kind: 'User', name: 'alice' }])],
    fail: [binding('cluster-admin', [{ kind: 'User', name: 'alice' }])],
  },
};

/** VC-003 wildcards in roles. */
export const wildcardRoles: Control = {
  id: 'VC-003',
  name: 'Wildcard in RBAC role',
  severity: 'high',
  description:
    "A * in verbs, resources or apiGroups grants today's and tomorrow's permissions, including ones added by new CRDs.",
  remediation: 'List the exact apiGroups, resources and verbs needed.',
  mappings: { nsa: [rbac], cis: ['5.1.3'], mitre: ['T1078'], kubescape: ['C-0187'] },
  target: roleKinds,
  check: (s) =>
    isBuiltin(s.obj)
      ? []
      : rules(s.obj)
          .filter((r) => [r.verbs, r.resources, r.apiGroups].some((l) => list(l).includes('*')))
          .map(
            (r) =>
              `rule uses * (verbs ${list(r.verbs).join(',')}; resources ${list(r.resources).join(',')})`,
          ),
  examples: {
    pass: [role('reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }])],
    fail: [role('god', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])],
  },
};

/** VC-004 read access to secrets. */
export const secretsAccess = permissionControl(
  'VC-004',
  'Read access to secrets',
  ['secrets'],
  ['get', 'list', 'watch'],
  'high',
  { cis: ['5.1.2'], mitre: ['T1552.007'], kubescape: ['C-0186', 'C-0015'] },
  'Reading Secrets yields service account tokens and credentials for everything else.',
);
/** VC-005 pod creation. */
export const podCreate = permissionControl(
  'VC-005',
  'Pod creation allowed',
  ['pods'],
  ['create'],
  'medium',
  { cis: ['5.1.4'], mitre: ['T1610'], kubescape: ['C-0188'] },
  'Whoever can create pods can mount any service account of the namespace and, without admission policy, run privileged pods.',
);
/** VC-006 exec/attach. */
export const podExec = permissionControl(
  'VC-006',
  'Exec into pods allowed',
  ['pods/exec', 'pods/attach'],
  ['create', 'get'],
  'high',
  { mitre: ['T1609'], kubescape: ['C-0002'] },
  'Exec and attach give an interactive shell inside running workloads and their secrets.',
);
/** VC-007 bind/escalate/impersonate. */
export const escalateVerbs: Control = {
  id: 'VC-007',
  name: 'Bind, escalate or impersonate allowed',
  severity: 'high',
  description:
    'The bind, escalate and impersonate verbs let a subject grant itself or act with permissions it does not hold.',
  remediation: 'Remove bind, escalate and impersonate verbs from custom roles.',
  mappings: { nsa: [rbac], cis: ['5.1.8'], mitre: ['T1098', 'T1078'], kubescape: ['C-0191'] },
  target: roleKinds,
  check: (s) =>
    isBuiltin(s.obj)
      ? []
      : rules(s.obj)
          .filter((r) =>
            list(r.verbs).some((v) => v === 'bind' || v === 'escalate' || v === 'impersonate'),
          )
          .map((r) => `grants ${list(r.verbs).join(',')} on ${list(r.resources).join(',')}`),
  examples: {
    pass: [role('reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }])],
    fail: [
      role('binder', [
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] },
      ]),
    ],
  },
};

/** VC-008 system:masters group used in bindings. */
export const systemMasters: Control = {
  id: 'VC-008',
  name: 'system:masters group bound',
  severity: 'high',
  description:
    'Members of system:masters bypass RBAC entirely and cannot be revoked by removing a binding.',
  remediation:
    'Do not bind or issue credentials for system:masters; use a normal group bound to a role.',
  mappings: { nsa: [rbac], cis: ['5.1.7'], mitre: ['T1078'], kubescape: ['C-0246'] },
  target: bindingKinds,
  check: (s) => {
    if (isBuiltin(s.obj)) return [];
    const subs = Array.isArray(s.obj.subjects)
      ? (s.obj.subjects as { kind?: string; name?: string }[])
      : [];
    return subs.some((x) => x?.kind === 'Group' && x.name === 'system:masters')
      ? ['binds the system:masters group']
      : [];
  },
  examples: {
    pass: [binding('view', [{ kind: 'Group', name: 'devs' }])],
    fail: [binding('view', [{ kind: 'Group', name: 'system:masters' }])],
  },
};

/** VC-009 deleting events. */
export const deleteEvents = permissionControl(
  'VC-009',
  'Event deletion allowed',
  ['events'],
  ['delete', 'deletecollection'],
  'medium',
  { mitre: ['T1070'], kubescape: ['C-0031'] },
  "Deleting events hides an attacker's activity from operators.",
);
/** VC-010 node proxy. */
export const nodeProxy = permissionControl(
  'VC-010',
  'Node proxy access',
  ['nodes/proxy'],
  ['get', 'create'],
  'high',
  { cis: ['5.1.10'], mitre: ['T1609'], kubescape: ['C-0279'] },
  'nodes/proxy reaches the kubelet API directly, bypassing audit and admission, and allows exec into any pod on the node.',
);
/** VC-011 webhook configurations. */
export const webhookConfig = permissionControl(
  'VC-011',
  'Admission webhook configuration access',
  ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'],
  ['create', 'update', 'patch', 'delete'],
  'high',
  { cis: ['5.1.12'], mitre: ['T1562.001'], kubescape: ['C-0281'] },
  'Changing admission webhooks can disable policy enforcement or inject code into every new pod.',
);
/** VC-012 service account token creation. */
export const tokenCreate = permissionControl(
  'VC-012',
  'Service account token creation',
  ['serviceaccounts/token'],
  ['create'],
  'high',
  { cis: ['5.1.13'], mitre: ['T1528'], kubescape: ['C-0282'] },
  'Creating tokens for service accounts lets a subject act as any of them.',
);
/** VC-013 persistent volume creation. */
export const pvCreate = permissionControl(
  'VC-013',
  'PersistentVolume creation',
  ['persistentvolumes'],
  ['create'],
  'medium',
  { cis: ['5.1.9'], mitre: ['T1611'], kubescape: ['C-0278'] },
  'PersistentVolumes can be hostPath volumes; creating them is a path to node files.',
);
/** VC-014 CSR approval. */
export const csrApproval = permissionControl(
  'VC-014',
  'Certificate request approval',
  ['certificatesigningrequests/approval'],
  ['update', 'patch'],
  'high',
  { cis: ['5.1.11'], mitre: ['T1098'], kubescape: ['C-0280'] },
  'Approving certificate requests can mint client certificates for any user or group.',
);
