/**
 * Finds an image's config and ordered layers from `manifest.json` (docker save) or
 * `index.json` (OCI layout), following nested indexes and choosing a platform.
 * @module
 */
import { createHash } from 'node:crypto';
import { VigilError } from '../../core/index.ts';
import { ImageErrors, type ImageContents, type LayerInfo } from './types.ts';

/** Access to an archive's small files and the names of its layer entries. */
export interface Blobs {
  json(path: string): Buffer | undefined;
  hasLayer(path: string): boolean;
}

/** The manifest's answer: ordered layer entry names plus metadata. */
export interface ResolvedManifest {
  format: ImageContents['format'];
  layerPaths: string[];
  layers: LayerInfo[];
  config?: Record<string, unknown>;
  repoTags: string[];
  imageId?: string;
}

/** A wanted platform (`linux/amd64`, `linux/arm64/v8`). */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** A content descriptor (OCI image spec): a blob's digest, size and media type; in an index, its platform. */
export interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

function parse<T>(buf: Buffer | undefined, what: string, file: string): T {
  if (!buf) throw new VigilError(ImageErrors.badManifest, `${what} is missing`, { file });
  try {
    return JSON.parse(buf.toString('utf8')) as T;
  } catch (e) {
    throw new VigilError(
      ImageErrors.badManifest,
      `${what} is not valid JSON`,
      { file },
      { cause: e },
    );
  }
}

/** Path of a blob in an OCI layout (`blobs/sha256/HEX`). */
export function blobPath(digest: string): string {
  const [alg, hex] = digest.split(':');
  if (!alg || !hex || !/^[a-z0-9]+$/.test(alg) || !/^[a-f0-9]+$/.test(hex)) {
    throw new VigilError(ImageErrors.badManifest, `bad digest "${digest}"`);
  }
  return `blobs/${alg}/${hex}`;
}

/** The default platform: this machine's. */
export function hostPlatform(): Platform {
  const arch: Record<string, string> = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'arm',
    ia32: '386',
    s390x: 's390x',
    ppc64: 'ppc64le',
  };
  return { os: 'linux', architecture: arch[process.arch] ?? process.arch };
}

/** Picks the manifest for a platform from an index's descriptors (falls back to the first). */
export function choosePlatform(manifests: Descriptor[], want: Platform): Descriptor | undefined {
  const images = manifests.filter(
    (m) => m.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest',
  );
  const exact = images.find(
    (m) =>
      m.platform?.os === want.os &&
      m.platform?.architecture === want.architecture &&
      (!want.variant || m.platform?.variant === want.variant),
  );
  return exact ?? images.find((m) => !m.platform) ?? images[0];
}

/** Resolves the image inside an archive or layout. */
export function resolveManifest(
  blobs: Blobs,
  file: string,
  platform: Platform = hostPlatform(),
): ResolvedManifest {
  const docker = blobs.json('manifest.json');
  if (docker) {
    const list = parse<{ Config: string; RepoTags?: string[] | null; Layers: string[] }[]>(
      docker,
      'manifest.json',
      file,
    );
    const m = list[0];
    if (!m || !Array.isArray(m.Layers))
      throw new VigilError(ImageErrors.badManifest, 'manifest.json lists no image', { file });
    const cfgBuf = blobs.json(m.Config);
    const config = parse<Record<string, unknown>>(cfgBuf, `config ${m.Config}`, file);
    const diffIds = ((config.rootfs as { diff_ids?: string[] } | undefined)?.diff_ids ??
      []) as string[];
    return {
      format: 'docker-archive',
      layerPaths: m.Layers,
      layers: m.Layers.map((p, i) => ({ digest: diffIds[i] ?? p, diffId: diffIds[i] })),
      config,
      repoTags: m.RepoTags ?? [],
      imageId: `sha256:${createHash('sha256').update(cfgBuf!).digest('hex')}`,
    };
  }
  let index = parse<{ manifests?: Descriptor[] | null }>(
    blobs.json('index.json'),
    'index.json or manifest.json',
    file,
  );
  for (let depth = 0; depth < 4; depth++) {
    const d = choosePlatform(index.manifests ?? [], platform);
    if (!d) throw new VigilError(ImageErrors.badManifest, 'index.json lists no manifest', { file });
    const doc = parse<{ manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] }>(
      blobs.json(blobPath(d.digest)),
      `manifest ${d.digest}`,
      file,
    );
    if (doc.manifests) {
      index = doc;
      continue;
    }
    if (!doc.config || !Array.isArray(doc.layers))
      throw new VigilError(
        ImageErrors.badManifest,
        `manifest ${d.digest} has no config or layers`,
        { file },
      );
    const cfgBuf = blobs.json(blobPath(doc.config.digest));
    const config = parse<Record<string, unknown>>(cfgBuf, `config ${doc.config.digest}`, file);
    const diffIds = ((config.rootfs as { diff_ids?: string[] } | undefined)?.diff_ids ??
      []) as string[];
    const tag = d.annotations?.['org.opencontainers.image.ref.name'];
    return {
      format: 'oci-layout',
      layerPaths: doc.layers.map((l) => blobPath(l.digest)),
      layers: doc.layers.map((l, i) => ({
        digest: l.digest,
        diffId: diffIds[i],
        size: l.size,
        mediaType: l.mediaType,
      })),
      config,
      repoTags: tag ? [tag] : [],
      imageId: doc.config.digest,
    };
  }
  throw new VigilError(ImageErrors.badManifest, 'index nesting too deep', { file });
}
