/**
 * Live-cluster input for posture (and `pss check --live`): the k8s room lists the cluster;
 * its objects are scanned like manifest files.
 * @module
 */
import type { Diagnostic } from '../../../core/index.ts';
import type { ClusterObject, ClusterOptions } from '../../../k8s/index.ts';

/** Where to find the cluster (kubeconfig file, or a built KubeConfig) and which kinds to list. */
export type LiveOptions = ClusterOptions;

/**
 * Lists every kind posture controls read; a kind that fails (e.g. RBAC forbids it) becomes a
 * K8S_LIST_FAILED warning and the rest still load. The k8s door is imported on first use, not
 * with compliance: it brings the gRPC client (containerd) and Kubernetes client, ~6 MB and
 * hundreds of ms that `pss check FILE` and `posture scan FILE` should not pay.
 */
export async function scanLiveCluster(opts: LiveOptions = {}): Promise<{ objects: ClusterObject[]; diagnostics: Diagnostic[] }> {
  const { listClusterObjects } = await import('../../../k8s/index.ts');
  return listClusterObjects(opts);
}
