/**
 * Reads a cluster's objects through the Kubernetes API (@kubernetes/client-node) and returns
 * them as plain JSON objects, the shape manifests have on disk, so checks written for files
 * judge a live cluster unchanged. A kind that cannot be listed (RBAC forbids it, the API is
 * down) becomes a warning and the rest still load; nothing throws.
 * @module
 */
import type * as k8s from '@kubernetes/client-node';
import { error, warning, type Diagnostic } from '../../core/index.ts';
import { kindListers, type K8sModule } from './kinds.ts';

/** Stable codes of the cluster listing. */
export const K8S_API_ERRORS = {
  /** The kubeconfig cannot be read or names no current cluster. */
  kubeconfig: 'K8S_KUBECONFIG',
  /** One kind could not be listed (a warning: the others still load). */
  listFailed: 'K8S_LIST_FAILED',
  /** A requested kind is not one the listing knows. */
  unknownKind: 'K8S_UNKNOWN_KIND',
} as const;

/** Where to find the cluster and what to list. */
export interface ClusterOptions {
  /** A kubeconfig file; default $KUBECONFIG, ~/.kube/config, then in-cluster. */
  kubeconfig?: string;
  /** An already-built KubeConfig (tests, callers that hold one). */
  kubeConfig?: k8s.KubeConfig;
  /** Only these kinds (e.g. `Pod`, `Deployment`); default every kind in kinds.ts. */
  kinds?: string[];
}

/** A Kubernetes object as plain JSON: only the fields every object shares are named. */
export interface ClusterObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  } & Record<string, unknown>;
  [key: string]: unknown;
}

/** Loads the KubeConfig the options name, or the diagnostic saying why it cannot be used. */
export function loadKubeConfig(client: K8sModule, opts: ClusterOptions): k8s.KubeConfig | Diagnostic {
  let kc = opts.kubeConfig;
  if (!kc) {
    kc = new client.KubeConfig();
    try {
      if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
      else kc.loadFromDefault();
    } catch (e) {
      return error(K8S_API_ERRORS.kubeconfig, `cannot load kubeconfig: ${(e as Error).message}`, { file: opts.kubeconfig });
    }
  }
  if (!kc.getCurrentCluster()) return error(K8S_API_ERRORS.kubeconfig, 'no current cluster in kubeconfig', { file: opts.kubeconfig });
  return kc;
}

function isDiagnostic(x: k8s.KubeConfig | Diagnostic): x is Diagnostic {
  return typeof (x as Diagnostic).code === 'string' && typeof (x as Diagnostic).severity === 'string';
}

/** Lists the requested kinds across all namespaces; failures become diagnostics, never exceptions. */
export async function listClusterObjects(
  opts: ClusterOptions = {},
): Promise<{ objects: ClusterObject[]; diagnostics: Diagnostic[] }> {
  // loaded here, not at module load: importing the client costs about a second
  const client: K8sModule = await import('@kubernetes/client-node');
  const kc = loadKubeConfig(client, opts);
  if (isDiagnostic(kc)) return { objects: [], diagnostics: [kc] };
  const diagnostics: Diagnostic[] = [];
  let listers = kindListers(client, kc);
  if (opts.kinds) {
    const wanted = new Set(opts.kinds);
    for (const k of wanted)
      if (!listers.some((l) => l.kind === k))
        diagnostics.push(error(K8S_API_ERRORS.unknownKind, `cannot list kind ${k}: not one of ${listers.map((l) => l.kind).join(', ')}`, {}, k));
    listers = listers.filter((l) => wanted.has(l.kind));
  }
  const results = await Promise.allSettled(listers.map((l) => l.list()));
  const objects: ClusterObject[] = [];
  results.forEach((r, i) => {
    const l = listers[i]!;
    if (r.status === 'rejected') {
      const msg = r.reason instanceof Error ? r.reason.message : String(r.reason);
      diagnostics.push(warning(K8S_API_ERRORS.listFailed, `listing ${l.kind} failed: ${msg.split('\n')[0]}`, {}, l.kind));
      return;
    }
    for (const item of r.value.items ?? []) {
      // the generated models hold Dates and class instances: round-trip to the JSON a manifest has
      const plain = JSON.parse(JSON.stringify(item)) as ClusterObject;
      objects.push({ ...plain, apiVersion: l.apiVersion, kind: l.kind });
    }
  });
  return { objects, diagnostics };
}
