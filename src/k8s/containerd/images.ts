/**
 * containerd's image store for the scanner: image names with their target descriptors and
 * the content blobs (index, manifest, config, layers) behind them.
 * @module
 */
import type { Readable } from 'node:stream';
import { ContainerdClient, timestampNs, type ContainerdClientOptions } from './client.ts';

/** One image record of a containerd namespace. */
export interface ContainerdImage {
  /** e.g. `docker.io/library/nginx:1.25`. */
  name: string;
  /** Digest of the target (an OCI index or manifest). */
  digest: string;
  mediaType: string;
  size: number;
  labels: Record<string, string>;
  /** ns since the epoch. */
  createdAt?: bigint;
}

/** Read access to containerd's images and content store. */
export interface ImageStore {
  readonly socket: string;
  listImages(ns?: string): Promise<ContainerdImage[]>;
  getImage(ns: string, name: string): Promise<ContainerdImage>;
  /** Size of a blob; CONTAINERD_NOT_FOUND when absent. */
  blobSize(ns: string, digest: string): Promise<number>;
  /** A blob as a byte stream. */
  readBlob(ns: string, digest: string): Readable;
  /** A whole (small) blob in memory: indexes, manifests, configs. */
  readBlobBytes(ns: string, digest: string, maxBytes?: number): Promise<Buffer>;
  close(): void;
}

/** Opens the image store on the configured or detected socket (throws CONTAINERD_NO_SOCKET). */
export function imageStore(opts: ContainerdClientOptions = {}): ImageStore {
  const c = new ContainerdClient(opts);
  const conv = (i: Awaited<ReturnType<ContainerdClient['getImage']>>): ContainerdImage => ({
    name: i.name, digest: i.target?.digest ?? '', mediaType: i.target?.media_type ?? '', size: i.target?.size ?? 0,
    labels: i.labels, createdAt: timestampNs(i.created_at),
  });
  return {
    socket: c.socket,
    listImages: async (ns = 'k8s.io') => (await c.listImages(ns)).map(conv),
    getImage: async (ns, name) => conv(await c.getImage(ns, name)),
    blobSize: async (ns, digest) => (await c.contentInfo(ns, digest)).size,
    readBlob: (ns, digest) => c.readBlob(ns, digest),
    readBlobBytes: (ns, digest, maxBytes) => c.readBlobBytes(ns, digest, maxBytes),
    close: () => c.close(),
  };
}

/** The images of a namespace (default k8s.io), with a client opened and closed for the call. */
export async function listImages(ns = 'k8s.io', opts: ContainerdClientOptions = {}): Promise<ContainerdImage[]> {
  const s = imageStore(opts);
  try {
    return await s.listImages(ns);
  } finally {
    s.close();
  }
}

/** One blob as a stream; the client closes when the stream does. */
export function readBlob(ns: string, digest: string, opts: ContainerdClientOptions = {}): Readable {
  const c = new ContainerdClient(opts);
  const r = c.readBlob(ns, digest);
  r.once('close', () => c.close());
  return r;
}
