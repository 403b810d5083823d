/**
 * Reads one layer tar as a stream: keeps wanted files and links, records whiteouts and opaque
 * directories, and refuses traversal, escaping hardlinks and device files.
 * @module
 */
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { VigilError } from '../../core/index.ts';
import { basename, dirname, normalizeEntryPath, resolveLinkTarget } from './paths.ts';
import { asVigilError, decompress } from './streams.ts';
import { ImageErrors, type LayerResult, type ReadLimits, type WantFile } from './types.ts';

const WH = '.wh.';
const OPAQUE = '.wh..wh..opq';

async function readAll(stream: AsyncIterable<Buffer>, max: number, where: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of stream) {
    n += c.length;
    if (n > max)
      throw new VigilError(ImageErrors.bomb, `entry larger than ${max} bytes`, { file: where });
    parts.push(c);
  }
  return Buffer.concat(parts);
}

/** Reads a (possibly gzip-compressed) layer tar stream into a {@link LayerResult}. */
export async function readLayer(
  input: AsyncIterable<Buffer>,
  layer: number,
  want: WantFile,
  limits: ReadLimits,
  where: string,
): Promise<LayerResult> {
  const result: LayerResult = {
    entries: new Map(),
    whiteouts: [],
    opaques: [],
    bytes: 0,
    entryCount: 0,
  };
  let source: Readable | undefined;
  const extract = tar.extract();
  try {
    source = await decompress(input, limits, where);
    source.on('error', (e) => extract.destroy(e));
    source.pipe(extract);
    for await (const entry of extract) {
      const h = entry.header;
      result.entryCount++;
      if (result.entryCount > limits.maxEntries) {
        throw new VigilError(
          ImageErrors.tooManyEntries,
          `more than ${limits.maxEntries} entries in one layer`,
          { file: where },
        );
      }
      result.bytes += h.size ?? 0;
      const path = normalizeEntryPath(h.name, where);
      const name = basename(path);
      const pos = { file: `${where}:${h.name}` };
      if (name === OPAQUE) result.opaques.push(dirname(path));
      else if (name.startsWith(WH))
        result.whiteouts.push(joinPath(dirname(path), name.slice(WH.length)));
      else if (h.type === 'character-device' || h.type === 'block-device' || h.type === 'fifo') {
        // debootstrap-style root file systems carry /dev nodes (console, null…); they are never
        // created here. A device node anywhere else has no business in an image: refused.
        if (!path.startsWith('dev/'))
          throw new VigilError(
            ImageErrors.deviceFile,
            `device or fifo entry "${h.name}" outside /dev`,
            pos,
          );
      } else if (h.type === 'symlink') {
        const target = h.linkname ?? '';
        if (!target.startsWith('/') && resolveLinkTarget(path, target) === null) {
          throw new VigilError(
            ImageErrors.linkEscape,
            `symlink "${h.name}" -> "${target}" points outside the root`,
            pos,
          );
        }
        result.entries.set(path, {
          path,
          kind: 'symlink',
          layer,
          mode: h.mode ?? 0,
          size: 0,
          linkTarget: target,
        });
      } else if (h.type === 'link') {
        const target = h.linkname ?? '';
        let resolved: string;
        try {
          resolved = normalizeEntryPath(target, where);
        } catch {
          throw new VigilError(
            ImageErrors.linkEscape,
            `hardlink "${h.name}" -> "${target}" points outside the root`,
            pos,
          );
        }
        result.entries.set(path, {
          path,
          kind: 'hardlink',
          layer,
          mode: h.mode ?? 0,
          size: 0,
          linkTarget: resolved,
        });
      } else if (h.type === 'file' || h.type === 'contiguous-file') {
        const size = h.size ?? 0;
        const mode = h.mode ?? 0;
        const wanted = want(path, size, mode);
        if (typeof wanted === 'object') {
          // Large files a cataloger only needs an extract of stream through its reducer.
          for await (const c of entry as unknown as AsyncIterable<Buffer>) wanted.write(c);
          const data = wanted.end();
          result.entries.set(
            path,
            data
              ? { path, kind: 'file', layer, mode, size, data, reducedBy: wanted.id }
              : { path, kind: 'file', layer, mode, size },
          );
          continue;
        }
        if (wanted && size <= limits.maxFileBytes) {
          const data = await readAll(
            entry as unknown as AsyncIterable<Buffer>,
            limits.maxFileBytes,
            pos.file,
          );
          result.entries.set(path, { path, kind: 'file', layer, mode, size, data });
          continue;
        }
        // An oversized wanted path must still hide the lower version; other paths are not kept.
        if (wanted) result.entries.set(path, { path, kind: 'file', layer, mode, size });
      }
      entry.resume();
    }
  } catch (e) {
    source?.destroy();
    extract.destroy();
    throw asVigilError(e, where);
  }
  return result;
}

function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}
