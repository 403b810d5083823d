/**
 * The kinds Vigil lists from a cluster, sorted by kind, each one list call across all
 * namespaces. Secrets are deliberately absent: no check needs their data, and credentials
 * that may read them should not be asked for.
 * @module
 */
// Type-only at load time: the client takes ~1 s to import, and only `--live` commands need it.
import type * as k8s from '@kubernetes/client-node';

/** The client module, loaded on demand by the caller. */
export type K8sModule = typeof import('@kubernetes/client-node');

/** One listable kind: what to stamp on its items (list items carry no kind/apiVersion) and how to list it. */
export interface KindLister {
  kind: string;
  apiVersion: string;
  list(): Promise<{ items: unknown[] }>;
}

/** Every kind the cluster listing knows, bound to the API clients of one KubeConfig. */
export function kindListers(client: K8sModule, kc: k8s.KubeConfig): KindLister[] {
  const core = kc.makeApiClient(client.CoreV1Api);
  const apps = kc.makeApiClient(client.AppsV1Api);
  const batch = kc.makeApiClient(client.BatchV1Api);
  const net = kc.makeApiClient(client.NetworkingV1Api);
  const rbac = kc.makeApiClient(client.RbacAuthorizationV1Api);
  const RBAC = 'rbac.authorization.k8s.io/v1';
  const NET = 'networking.k8s.io/v1';
  return [
    { kind: 'ClusterRole', apiVersion: RBAC, list: () => rbac.listClusterRole() },
    { kind: 'ClusterRoleBinding', apiVersion: RBAC, list: () => rbac.listClusterRoleBinding() },
    { kind: 'ConfigMap', apiVersion: 'v1', list: () => core.listConfigMapForAllNamespaces() },
    { kind: 'CronJob', apiVersion: 'batch/v1', list: () => batch.listCronJobForAllNamespaces() },
    { kind: 'DaemonSet', apiVersion: 'apps/v1', list: () => apps.listDaemonSetForAllNamespaces() },
    { kind: 'Deployment', apiVersion: 'apps/v1', list: () => apps.listDeploymentForAllNamespaces() },
    { kind: 'Ingress', apiVersion: NET, list: () => net.listIngressForAllNamespaces() },
    { kind: 'Job', apiVersion: 'batch/v1', list: () => batch.listJobForAllNamespaces() },
    { kind: 'Namespace', apiVersion: 'v1', list: () => core.listNamespace() },
    { kind: 'NetworkPolicy', apiVersion: NET, list: () => net.listNetworkPolicyForAllNamespaces() },
    { kind: 'Pod', apiVersion: 'v1', list: () => core.listPodForAllNamespaces() },
    { kind: 'ReplicaSet', apiVersion: 'apps/v1', list: () => apps.listReplicaSetForAllNamespaces() },
    { kind: 'Role', apiVersion: RBAC, list: () => rbac.listRoleForAllNamespaces() },
    { kind: 'RoleBinding', apiVersion: RBAC, list: () => rbac.listRoleBindingForAllNamespaces() },
    { kind: 'Service', apiVersion: 'v1', list: () => core.listServiceForAllNamespaces() },
    { kind: 'ServiceAccount', apiVersion: 'v1', list: () => core.listServiceAccountForAllNamespaces() },
    { kind: 'StatefulSet', apiVersion: 'apps/v1', list: () => apps.listStatefulSetForAllNamespaces() },
  ];
}

