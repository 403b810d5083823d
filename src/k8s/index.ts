/**
 * k8s: Kubernetes API access and container-runtime metadata: the cluster listing (objects as
 * plain JSON through the Kubernetes API), a containerd client (containers, images, content
 * blobs, events) and the container metadata resolver that gives live events their container and pod.
 * @module
 */
export { K8S_API_ERRORS, listClusterObjects, type ClusterObject, type ClusterOptions } from './api/cluster.ts';
export { ContainerdClient, timestampNs, type ContainerdClientOptions, type ContainerdEvent, type ContainerdSubscription } from './containerd/client.ts';
export { CONTAINERD_ERRORS, containerdError } from './containerd/errors.ts';
export { CONTAINERD_SOCKET, K3S_CONTAINERD_SOCKET, candidateSockets, detectSocket } from './containerd/socket.ts';
export type { PbContainer, PbContentInfo, PbImage } from './containerd/proto.ts';
export { ContainerMetadataResolver, type ContainerMeta, type ResolverOptions, type ResolverStats } from './metadata/resolver.ts';
export { CRI_ANNOTATIONS, CRI_LABELS, isCriLabel, isSandbox, podFromLabels, podLabelsFromSandbox, type PodInfo } from './metadata/pod.ts';
export { specFacts, type SpecFacts } from './metadata/spec.ts';
export { listImages, readBlob, imageStore, type ContainerdImage, type ImageStore } from './containerd/images.ts';
