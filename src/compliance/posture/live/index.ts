/**
 * Live-cluster input for posture scans: lists the kinds controls read through the Kubernetes
 * API (@kubernetes/client-node) and returns them as plain objects. Secrets are never read.
 * (Lives here until a shared src/k8s room exists.)
 * @module
 */
// Type-only at load time: the client takes ~1 s to import, and every `vigil` command would pay it.
import type * as k8s from '@kubernetes/client-node';
import { error, warning, type Diagnostic } from '../../../core/index.ts';
import type { KubeObject } from '../../manifests/index.ts';

/** Where to find the cluster. */
export interface LiveOptions {
  /** A kubeconfig file; default $KUBECONFIG, ~/.kube/config, then in-cluster. */
  kubeconfig?: string;
  /** An already-built KubeConfig (tests). */
  kubeConfig?: k8s.KubeConfig;
}

type K8sModule = typeof import('@kubernetes/client-node');

interface Lister {
  kind: string;
  apiVersion: string;
  list(): Promise<{ items: unknown[] }>;
}

function listers(k8s: K8sModule, kc: k8s.KubeConfig): Lister[] {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const batch = kc.makeApiClient(k8s.BatchV1Api);
  const net = kc.makeApiClient(k8s.NetworkingV1Api);
  const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
  // sorted by kind; each is one list call across all namespaces
  return [
    {
      kind: 'ClusterRole',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      list: () => rbac.listClusterRole(),
    },
    {
      kind: 'ClusterRoleBinding',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      list: () => rbac.listClusterRoleBinding(),
    },
    { kind: 'ConfigMap', apiVersion: 'v1', list: () => core.listConfigMapForAllNamespaces() },
    { kind: 'CronJob', apiVersion: 'batch/v1', list: () => batch.listCronJobForAllNamespaces() },
    { kind: 'DaemonSet', apiVersion: 'apps/v1', list: () => apps.listDaemonSetForAllNamespaces() },
    {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      list: () => apps.listDeploymentForAllNamespaces(),
    },
    {
      kind: 'Ingress',
      apiVersion: 'networking.k8s.io/v1',
      list: () => net.listIngressForAllNamespaces(),
    },
    { kind: 'Job', apiVersion: 'batch/v1', list: () => batch.listJobForAllNamespaces() },
    { kind: 'Namespace', apiVersion: 'v1', list: () => core.listNamespace() },
    {
      kind: 'NetworkPolicy',
      apiVersion: 'networking.k8s.io/v1',
      list: () => net.listNetworkPolicyForAllNamespaces(),
    },
    { kind: 'Pod', apiVersion: 'v1', list: () => core.listPodForAllNamespaces() },
    {
      kind: 'ReplicaSet',
      apiVersion: 'apps/v1',
      list: () => apps.listReplicaSetForAllNamespaces(),
    },
    {
      kind: 'Role',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      list: () => rbac.listRoleForAllNamespaces(),
    },
    {
      kind: 'RoleBinding',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      list: () => rbac.listRoleBindingForAllNamespaces(),
    },
    { kind: 'Service', apiVersion: 'v1', list: () => core.listServiceForAllNamespaces() },
    {
      kind: 'ServiceAccount',
      apiVersion: 'v1',
      list: () => core.listServiceAccountForAllNamespaces(),
    },
    {
      kind: 'StatefulSet',
      apiVersion: 'apps/v1',
      list: () => apps.listStatefulSetForAllNamespaces(),
    },
  ];
}

/** Lists every kind posture controls read; a kind that fails (e.g. RBAC forbids it) becomes a warning, the rest still load. */
export async function scanLiveCluster(
  opts: LiveOptions = {},
): Promise<{ objects: KubeObject[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const k8s: K8sModule = await import('@kubernetes/client-node');
  let kc = opts.kubeConfig;
  if (!kc) {
    kc = new k8s.KubeConfig();
    try {
      if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
      else kc.loadFromDefault();
    } catch (e) {
      return {
        objects: [],
        diagnostics: [
          error('POSTURE_KUBECONFIG', `cannot load kubeconfig: ${(e as Error).message}`, {
            file: opts.kubeconfig,
          }),
        ],
      };
    }
  }
  if (!kc.getCurrentCluster())
    return {
      objects: [],
      diagnostics: [
        error('POSTURE_KUBECONFIG', 'no current cluster in kubeconfig', { file: opts.kubeconfig }),
      ],
    };
  const objects: KubeObject[] = [];
  const results = await Promise.allSettled(
    listers(k8s, kc).map(async (l) => ({ l, res: await l.list() })),
  );
  results.forEach((r, i) => {
    const l = listers(k8s, kc!)[i]!;
    if (r.status === 'rejected') {
      const msg = r.reason instanceof Error ? r.reason.message : String(r.reason);
      diagnostics.push(
        warning(
          'POSTURE_LIST_FAILED',
          `listing ${l.kind} failed: ${msg.split('\n')[0]}`,
          {},
          l.kind,
        ),
      );
      return;
    }
    for (const item of r.value.res.items ?? []) {
      // list items carry no kind/apiVersion; the generated models also hold Dates, so round-trip to plain JSON
      const plain = JSON.parse(JSON.stringify(item)) as KubeObject;
      objects.push({ ...plain, apiVersion: l.apiVersion, kind: l.kind });
    }
  });
  return { objects, diagnostics };
}
