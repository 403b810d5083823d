/**
 * Images in containerd's store (k3s's and plain containerd's): `containerd://[NAMESPACE/]REF`.
 * Index, manifest and config come from the content store as small blobs, layers as streams,
 * all through the k8s room's containerd door; the default namespace is k8s.io (where the
 * kubelet's CRI keeps images).
 * @module
 */
import { VigilError } from '../../core/index.ts';
import { imageStore, type ContainerdImage, type ImageStore } from '../../k8s/index.ts';
import { readLayer } from './layer.ts';
import { choosePlatform, hostPlatform, type Platform } from './manifest.ts';
import { parseImageRef } from './registry.ts';
import { FileView } from './view.ts';
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

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  platform?: { os?: string; architecture?: string; variant?: string };
}

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
    let doc = await json<{ manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] }>(
      store,
      ns,
      image.digest,
      refText,
    );
    for (let depth = 0; doc.manifests && depth < 4; depth++) {
      const d = choosePlatform(doc.manifests as never, opts.platform ?? hostPlatform()) as
        Descriptor | undefined;
      if (!d) throw new VigilError(ImageErrors.badManifest, `${refText}: index lists no manifest`);
      doc = await json(store, ns, d.digest, refText);
    }
    if (!doc.config || !Array.isArray(doc.layers))
      throw new VigilError(
        ImageErrors.badManifest,
        `${refText}: manifest without config or layers`,
      );
    const config = await json<Record<string, unknown>>(store, ns, doc.config.digest, refText);
    const diffIds = ((config.rootfs as { diff_ids?: string[] } | undefined)?.diff_ids ??
      []) as string[];
    const view = new FileView();
    let total = 0;
    for (const [i, l] of doc.layers.entries()) {
      const layer = await readLayer(
        store.readBlob(ns, l.digest),
        i,
        want,
        limits,
        `${refText}@${l.digest}`,
      );
      total += layer.bytes;
      if (total > limits.maxTotalBytes)
        throw new VigilError(ImageErrors.bomb, `image layers exceed ${limits.maxTotalBytes} bytes`);
      view.apply(layer);
    }
    const contents: ImageContents = {
      source: refText,
      format: 'containerd',
      layers: doc.layers.map((l, i) => ({
        digest: l.digest,
        diffId: diffIds[i],
        size: l.size,
        mediaType: l.mediaType,
      })),
      config,
      repoTags: [image.name],
      imageId: doc.config.digest,
    };
    return { contents, view };
  } finally {
    store.close();
  }
}
