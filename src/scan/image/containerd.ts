/**
 * Images in containerd's store (k3s's and plain containerd's): `containerd://[NAMESPACE/]REF`.
 * Index, manifest and config come from the content store as small blobs, layers as streams,
 * all through the k8s room's containerd door; the default namespace is k8s.io (where the
 * kubelet's CRI keeps images).
 * @module
 */
import { VigilError } from '../../core/index.ts';
import { imageStore, type ContainerdImage, type ImageStore } from '../../k8s/index.ts';
import { readImageFromBlobs, type BlobSource, type ImageDocument } from './remote-image.ts';
import type { Platform } from './manifest.ts';
import { parseImageRef } from './registry.ts';
import type { FileView } from './view.ts';
import {
  DEFAULT_LIMITS,
  ImageErrors,
  type ImageContents,
  type ReadLimits,
  type WantFile,
} from './types.ts';

/** The URL-like prefix that selects this source. */
export const CONTAINERD_PREFIX = 'containerd://';
const DEFAULT_NAMESPACE = 'k8s.io';
const MAX_JSON = 16 * 1024 * 1024;


// containerd stores full names (docker.io/library/alpine:3.19); accept the short forms too.
function fullName(ref: string): string {
  try {
    const r = parseImageRef(ref);
    const host = r.registry === 'registry-1.docker.io' ? 'docker.io' : r.registry;
    return `${host}/${r.repository}${r.reference.includes(':') && r.reference.startsWith('sha256') ? '@' : ':'}${r.reference}`;
  } catch {
    return ref;
  }
}

async function find(
  store: ImageStore,
  spec: string,
): Promise<{ ns: string; image: ContainerdImage }> {
  const candidates: [string, string][] = [];
  const slash = spec.indexOf('/');
  // `NS/REF` when the first segment names a namespace holding REF; else REF in k8s.io.
  if (slash > 0) candidates.push([spec.slice(0, slash), spec.slice(slash + 1)]);
  candidates.push([DEFAULT_NAMESPACE, spec]);
  for (const [ns, ref] of candidates) {
    for (const name of new Set([ref, fullName(ref)])) {
      try {
        return { ns, image: await store.getImage(ns, name) };
      } catch (e) {
        if ((e as { code?: string }).code !== 'CONTAINERD_NOT_FOUND') throw e;
      }
    }
  }
  throw new VigilError(ImageErrors.notFound, `no image "${spec}" in containerd (${store.socket})`, {
    file: `${CONTAINERD_PREFIX}${spec}`,
  });
}

async function json<T>(store: ImageStore, ns: string, digest: string, where: string): Promise<T> {
  const buf = await store.readBlobBytes(ns, digest, MAX_JSON);
  try {
    return JSON.parse(buf.toString('utf8')) as T;
  } catch (e) {
    throw new VigilError(
      ImageErrors.badManifest,
      `blob ${digest} is not JSON`,
      { file: where },
      { cause: e },
    );
  }
}

/** Reads an image from containerd's store into metadata and the merged view of wanted files. */
export async function readContainerdImage(
  refText: string,
  want: WantFile,
  opts: { platform?: Platform; limits?: ReadLimits; socket?: string } = {},
): Promise<{ contents: ImageContents; view: FileView }> {
  const spec = refText.startsWith(CONTAINERD_PREFIX)
    ? refText.slice(CONTAINERD_PREFIX.length)
    : refText;
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const store = imageStore(opts.socket ? { socket: opts.socket } : {});
  try {
    const { ns, image } = await find(store, spec);
    const top = await json<ImageDocument>(store, ns, image.digest, refText);
    const blobs: BlobSource = {
      manifest: (digest) => json<ImageDocument>(store, ns, digest, refText),
      config: (digest) => json<Record<string, unknown>>(store, ns, digest, refText),
      layer: (digest) => store.readBlob(ns, digest),
    };
    return await readImageFromBlobs(blobs, top, { refText, format: 'containerd', repoTags: [image.name], want, limits, platform: opts.platform });
  } finally {
    store.close();
  }
}
