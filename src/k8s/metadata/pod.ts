/**
 * Kubernetes facts from what the CRI writes onto containerd containers: the io.kubernetes.*
 * labels of every container, the io.cri-containerd.kind label, the io.kubernetes.cri.*
 * annotations of the OCI spec, and the pod's own labels on its sandbox container.
 * @module
 */

/** Label keys the CRI sets on containers (and sandboxes). */
export const CRI_LABELS = {
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  podUid: 'io.kubernetes.pod.uid',
  containerName: 'io.kubernetes.container.name',
  kind: 'io.cri-containerd.kind',
} as const;

/** Annotation keys CRI-containerd writes into the OCI spec. */
export const CRI_ANNOTATIONS = {
  sandboxId: 'io.kubernetes.cri.sandbox-id',
  containerType: 'io.kubernetes.cri.container-type',
  imageName: 'io.kubernetes.cri.image-name',
  sandboxName: 'io.kubernetes.cri.sandbox-name',
  sandboxNamespace: 'io.kubernetes.cri.sandbox-namespace',
  sandboxUid: 'io.kubernetes.cri.sandbox-uid',
  containerName: 'io.kubernetes.cri.container-name',
} as const;

/** The pod a container belongs to. */
export interface PodInfo {
  name: string;
  namespace: string;
  uid?: string;
  /** The container's name within the pod. */
  containerName?: string;
  /** Full id of the pod's sandbox container, when known. */
  sandboxId?: string;
  /** The pod's own labels (from the sandbox), without the CRI's bookkeeping keys. */
  labels: Record<string, string>;
}

/** True for labels the CRI or containerd add for their own bookkeeping (not user pod labels). */
export function isCriLabel(key: string): boolean {
  return key.startsWith('io.kubernetes.') || key.startsWith('io.cri-containerd.') || key.startsWith('io.containerd.') || key.startsWith('annotation.io.kubernetes.');
}

/** True when the container is a pod sandbox (the pause container). */
export function isSandbox(labels: Record<string, string>, annotations: Record<string, string> = {}): boolean {
  return labels[CRI_LABELS.kind] === 'sandbox' || annotations[CRI_ANNOTATIONS.containerType] === 'sandbox';
}

/**
 * The pod of a container from its labels (and spec annotations); undefined for containers
 * that no Kubernetes pod owns. Pod labels are filled in later from the sandbox.
 */
export function podFromLabels(labels: Record<string, string>, annotations: Record<string, string> = {}): PodInfo | undefined {
  const name = labels[CRI_LABELS.podName] ?? annotations[CRI_ANNOTATIONS.sandboxName];
  const namespace = labels[CRI_LABELS.podNamespace] ?? annotations[CRI_ANNOTATIONS.sandboxNamespace];
  if (!name || !namespace) return undefined;
  return {
    name,
    namespace,
    uid: labels[CRI_LABELS.podUid] ?? annotations[CRI_ANNOTATIONS.sandboxUid],
    containerName: labels[CRI_LABELS.containerName] ?? annotations[CRI_ANNOTATIONS.containerName],
    sandboxId: annotations[CRI_ANNOTATIONS.sandboxId],
    labels: {},
  };
}

/** The user's pod labels from a sandbox container's labels. */
export function podLabelsFromSandbox(sandboxLabels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(sandboxLabels)) if (!isCriLabel(k)) out[k] = v;
  return out;
}
