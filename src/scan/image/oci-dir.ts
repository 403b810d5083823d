/**
 * OCI image layout directories (`index.json`, `oci-layout`, `blobs/`), layers streamed from disk.
 * @module
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { VigilError } from '../../core/index.ts';
import { readLayer } from './layer.ts';
import { resolveManifest } from './manifest.ts';
import { normalizeEntryPath } from './paths.ts';
import { FileView } from './view.ts';
import {
  DEFAULT_LIMITS,
  ImageErrors,
  type ImageContents,
  type ReadLimits,
  type WantFile,
} from './types.ts';

const MAX_JSON = 16 * 1024 * 1024;

/** Whether a directory is an OCI image layout. */
export function isOciLayoutDir(dir: string): boolean {
  return existsSync(join(dir, 'oci-layout')) && existsSync(join(dir, 'index.json'));
}

/** Reads an OCI layout directory into metadata and the merged view of wanted files. */
export async function readOciDir(
  dir: string,
  want: WantFile,
  limits: ReadLimits = DEFAULT_LIMITS,
): Promise<{ contents: ImageContents; view: FileView }> {
  const json = (p: string): Buffer | undefined => {
    const full = join(dir, normalizeEntryPath(p, dir));
    if (!existsSync(full) || statSync(full).size > MAX_JSON) return undefined;
    return readFileSync(full);
  };
  const resolved = resolveManifest({ json, hasLayer: (p) => existsSync(join(dir, p)) }, dir);
  const view = new FileView();
  let total = 0;
  for (const [i, p] of resolved.layerPaths.entries()) {
    const full = join(dir, p);
    if (!existsSync(full))
      throw new VigilError(ImageErrors.badManifest, `layer blob ${p} is missing`, { file: dir });
    const res = await readLayer(createReadStream(full), i, want, limits, full);
    total += res.bytes;
    if (total > limits.maxTotalBytes)
      throw new VigilError(ImageErrors.bomb, `image layers exceed ${limits.maxTotalBytes} bytes`, {
        file: dir,
      });
    view.apply(res);
  }
  const contents: ImageContents = {
    source: dir,
    format: 'oci-layout',
    layers: resolved.layers,
    config: resolved.config,
    repoTags: resolved.repoTags,
  };
  if (resolved.imageId) contents.imageId = resolved.imageId;
  return { contents, view };
}
