/**
 * The part of reading an image that is the same wherever its blobs come from (a registry over
 * HTTP, containerd's content store): follow an index to this platform's manifest, read the config,
 * stream the layers into one merged view under the size limits, and describe the result.
 * Each source supplies only how to fetch a JSON document and open a blob by digest.
 * @module
 */
import { VigilError } from '../../core/index.ts';
import { readLayer } from './layer.ts';
import { choosePlatform, hostPlatform, type Descriptor, type Platform } from './manifest.ts';
import { FileView } from './view.ts';
import { ImageErrors, type ImageContents, type ReadLimits, type WantFile } from './types.ts';

/** A manifest or an index, as fetched. */
export interface ImageDocument {
  manifests?: Descriptor[];
  config?: Descriptor;
  layers?: Descriptor[];
}

/** How one image source fetches documents and blobs by digest. */
export interface BlobSource {
  /** The manifest or index with this digest. */
  manifest(digest: string): Promise<ImageDocument>;
  /** The image config blob as JSON. */
  config(digest: string): Promise<Record<string, unknown>>;
  /** A layer blob as a byte stream (still compressed). */
  layer(digest: string): AsyncIterable<Buffer> | Promise<AsyncIterable<Buffer>>;
}

/** Nested indexes deeper than this are refused (real images have one level). */
const MAX_INDEX_DEPTH = 4;

/** Reads the image `top` names (a manifest or an index) from `source`. */
export async function readImageFromBlobs(
  source: BlobSource,
  top: ImageDocument,
  o: { refText: string; format: ImageContents['format']; repoTags: string[]; want: WantFile; limits: ReadLimits; platform?: Platform },
): Promise<{ contents: ImageContents; view: FileView }> {
  let doc = top;
  for (let depth = 0; doc.manifests && depth < MAX_INDEX_DEPTH; depth++) {
    const d = choosePlatform(doc.manifests, o.platform ?? hostPlatform());
    if (!d) throw new VigilError(ImageErrors.badManifest, `${o.refText}: index lists no manifest`);
    doc = await source.manifest(d.digest);
  }
  if (!doc.config || !Array.isArray(doc.layers))
    throw new VigilError(ImageErrors.badManifest, `${o.refText}: manifest without config or layers`);
  const config = await source.config(doc.config.digest);
  const diffIds = ((config.rootfs as { diff_ids?: string[] } | undefined)?.diff_ids ?? []) as string[];
  const view = new FileView();
  let total = 0;
  for (const [i, l] of doc.layers.entries()) {
    const layer = await readLayer(await source.layer(l.digest), i, o.want, o.limits, `${o.refText}@${l.digest}`);
    total += layer.bytes;
    if (total > o.limits.maxTotalBytes)
      throw new VigilError(ImageErrors.bomb, `image layers exceed ${o.limits.maxTotalBytes} bytes`);
    view.apply(layer);
  }
  const contents: ImageContents = {
    source: o.refText,
    format: o.format,
    layers: doc.layers.map((l, i) => ({ digest: l.digest, diffId: diffIds[i], size: l.size, mediaType: l.mediaType })),
    config,
    repoTags: o.repoTags,
    imageId: doc.config.digest,
  };
  return { contents, view };
}
