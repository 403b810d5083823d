/**
 * A plain directory or root file system (`vigil scan fs PATH`) as a one-layer image.
 * Links are recorded, never followed on disk, so nothing outside PATH is read.
 * @module
 */
import { createReadStream } from 'node:fs';
import { lstat, opendir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { VigilError } from '../../core/index.ts';
import { FileView } from './view.ts';
import {
  DEFAULT_LIMITS,
  ImageErrors,
  type FileReducer,
  type ImageContents,
  type LayerResult,
  type ReadLimits,
  type WantFile,
} from './types.ts';

// Kernel and device trees hold no packages and can be endless.
const SKIP_AT_ROOT = new Set(['proc', 'sys', 'dev', 'run']);

/** Reads the wanted files of a directory tree into a one-layer view. */
export async function readDirectory(
  root: string,
  want: WantFile,
  limits: ReadLimits = DEFAULT_LIMITS,
): Promise<{ contents: ImageContents; view: FileView }> {
  const st = await lstat(root).catch(() => undefined);
  if (!st?.isDirectory())
    throw new VigilError(ImageErrors.notFound, `not a directory: ${root}`, { file: root });
  const layer: LayerResult = {
    entries: new Map(),
    whiteouts: [],
    opaques: [],
    bytes: 0,
    entryCount: 0,
  };
  const stack: string[] = [''];
  while (stack.length) {
    const rel = stack.pop()!;
    let dir;
    try {
      dir = await opendir(join(root, rel));
    } catch {
      continue; // unreadable directories are skipped, as a scanner of a live host must
    }
    for await (const d of dir) {
      const path = rel ? `${rel}/${d.name}` : d.name;
      if (!rel && SKIP_AT_ROOT.has(d.name) && root === '/') continue;
      if (++layer.entryCount > limits.maxEntries)
        throw new VigilError(ImageErrors.tooManyEntries, `more than ${limits.maxEntries} entries`, {
          file: root,
        });
      if (d.isDirectory()) stack.push(path);
      else if (d.isSymbolicLink()) {
        const target = await readlink(join(root, path)).catch(() => '');
        layer.entries.set(path, {
          path,
          kind: 'symlink',
          layer: 0,
          mode: 0o777,
          size: 0,
          linkTarget: target,
        });
      } else if (d.isFile()) {
        const s = await lstat(join(root, path)).catch(() => undefined);
        if (!s) continue;
        const wanted = want(path, s.size, s.mode);
        if (typeof wanted === 'object') {
          const data = await reduceFile(join(root, path), wanted);
          if (data)
            layer.entries.set(path, {
              path,
              kind: 'file',
              layer: 0,
              mode: s.mode,
              size: s.size,
              data,
              reducedBy: wanted.id,
            });
          continue;
        }
        if (s.size > limits.maxFileBytes || !wanted) continue;
        const data = await readFile(join(root, path)).catch(() => undefined);
        if (data)
          layer.entries.set(path, {
            path,
            kind: 'file',
            layer: 0,
            mode: s.mode,
            size: s.size,
            data,
          });
      }
    }
  }
  const view = new FileView();
  view.apply(layer);
  return {
    contents: {
      source: root,
      format: 'directory',
      layers: [{ digest: `dir:${root}` }],
      repoTags: [],
    },
    view,
  };
}

// Streams a file through a reducer; unreadable files (permissions, races) yield nothing.
async function reduceFile(file: string, reducer: FileReducer): Promise<Buffer | undefined> {
  try {
    for await (const c of createReadStream(file)) reducer.write(c as Buffer);
    return reducer.end();
  } catch {
    return undefined;
  }
}
