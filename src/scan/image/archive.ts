/**
 * Image archives read in one streaming pass: `docker save` tars (legacy and Docker 25+) and
 * OCI image layouts packed in a tar, either plain or gzip-compressed. Layers are read as
 * they pass; the manifest (often last) decides their order afterwards.
 * @module
 */
import { createReadStream } from 'node:fs';
import tar from 'tar-stream';
import { VigilError } from '../../core/index.ts';
import { readLayer } from './layer.ts';
import { resolveManifest, type Blobs } from './manifest.ts';
import { normalizeEntryPath } from './paths.ts';
import { asVigilError, decompress, peek, sniffCompression } from './streams.ts';
import { FileView } from './view.ts';
import {
  DEFAULT_LIMITS,
  ImageErrors,
  type ImageContents,
  type LayerResult,
  type ReadLimits,
  type WantFile,
} from './types.ts';

const MAX_JSON = 16 * 1024 * 1024;

function looksLikeTar(head: Buffer): boolean {
  return head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar';
}

/** Reads an image archive file into its metadata and the merged view of wanted files. */
export async function readImageArchive(
  file: string,
  want: WantFile,
  limits: ReadLimits = DEFAULT_LIMITS,
): Promise<{ contents: ImageContents; view: FileView }> {
  const small = new Map<string, Buffer>();
  const layers = new Map<string, LayerResult>();
  let total = 0;
  const extract = tar.extract();
  try {
    const outer = await decompress(createReadStream(file), limits, file);
    outer.on('error', (e) => extract.destroy(e));
    outer.pipe(extract);
    for await (const entry of extract) {
      const h = entry.header;
      if (h.type !== 'file' && h.type !== 'contiguous-file') {
        entry.resume();
        continue;
      }
      const name = normalizeEntryPath(h.name, file);
      const { head, rest } = await peek(entry as unknown as AsyncIterable<Buffer>);
      const comp = sniffCompression(head);
      if (comp !== 'none' || looksLikeTar(head)) {
        const res = await readLayer(rest, -1, want, limits, `${file}:${name}`);
        total += res.bytes;
        if (total > limits.maxTotalBytes) {
          throw new VigilError(
            ImageErrors.bomb,
            `image layers exceed ${limits.maxTotalBytes} bytes`,
            { file },
          );
        }
        layers.set(name, res);
        continue;
      }
      const big = (h.size ?? 0) > MAX_JSON;
      const parts: Buffer[] = [];
      for await (const c of rest) if (!big) parts.push(c);
      if (big) continue;
      small.set(name, Buffer.concat(parts));
    }
  } catch (e) {
    extract.destroy();
    throw asVigilError(e, file);
  }
  const blobs: Blobs = { json: (p) => small.get(p), hasLayer: (p) => layers.has(p) };
  const resolved = resolveManifest(blobs, file);
  const view = new FileView();
  resolved.layerPaths.forEach((p, i) => {
    const res = layers.get(p);
    if (!res)
      throw new VigilError(ImageErrors.badManifest, `layer ${p} named by the manifest is missing`, {
        file,
      });
    for (const rec of res.entries.values()) rec.layer = i;
    view.apply(res);
  });
  const contents: ImageContents = {
    source: file,
    format: resolved.format,
    layers: resolved.layers,
    config: resolved.config,
    repoTags: resolved.repoTags,
  };
  if (resolved.imageId) contents.imageId = resolved.imageId;
  return { contents, view };
}
