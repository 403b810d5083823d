/**
 * image: readers for docker-archive and OCI tars, OCI layout directories and plain
 * directories, all yielding image metadata and a merged view of the wanted files.
 * @module
 */
import { existsSync, statSync } from 'node:fs';
import { VigilError } from '../../core/index.ts';
import { readImageArchive } from './archive.ts';
import { readDirectory } from './fs-dir.ts';
import { isOciLayoutDir, readOciDir } from './oci-dir.ts';
import {
  DEFAULT_LIMITS,
  ImageErrors,
  type ImageContents,
  type ReadLimits,
  type WantFile,
} from './types.ts';
import type { FileView } from './view.ts';

export { readImageArchive } from './archive.ts';
export { readDirectory } from './fs-dir.ts';
export { readOciDir, isOciLayoutDir } from './oci-dir.ts';
export { readLayer } from './layer.ts';
export { FileView } from './view.ts';
export { choosePlatform, hostPlatform, type Platform } from './manifest.ts';
export * from './types.ts';

/** Opens an image file or OCI layout directory (docker-archive, OCI tar, gzip or not). */
export async function openImage(
  path: string,
  want: WantFile,
  limits: ReadLimits = DEFAULT_LIMITS,
): Promise<{ contents: ImageContents; view: FileView }> {
  if (!existsSync(path))
    throw new VigilError(ImageErrors.notFound, `no such file or directory: ${path}`, {
      file: path,
    });
  if (statSync(path).isDirectory()) {
    if (isOciLayoutDir(path)) return readOciDir(path, want, limits);
    throw new VigilError(
      ImageErrors.unsupported,
      `${path} is a directory but not an OCI layout (use "scan fs")`,
      { file: path },
    );
  }
  return readImageArchive(path, want, limits);
}

/** Opens a directory tree as a one-layer image. */
export async function openDirectory(
  path: string,
  want: WantFile,
  limits: ReadLimits = DEFAULT_LIMITS,
): Promise<{ contents: ImageContents; view: FileView }> {
  return readDirectory(path, want, limits);
}
export { readRegistryImage, parseImageRef, type ImageRef } from './registry.ts';
export { resolveCredentials, dockerConfigPath, type RegistryCredentials } from './credentials.ts';
export { readContainerdImage, CONTAINERD_PREFIX } from './containerd.ts';
