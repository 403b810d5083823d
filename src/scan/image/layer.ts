/**
 * Reads one layer tar as a stream: keeps wanted files and links, records whiteouts and opaque
 * directories, and refuses traversal, escaping hardlinks and device files.
 * @module
 */
import { VigilError } from '../../core/index.ts';
import { basename, dirname, normalizeEntryPath, resolveLinkTarget } from './paths.ts';
import { asVigilError, decompressChunks } from './streams.ts';
import { TarWalker, type TarDataSink, type TarHeader } from './tar-walk.ts';
import {
  ImageErrors,
  type FileRecord,
  type LayerResult,
  type ReadLimits,
  type WantFile,
} from './types.ts';

const WH = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** Reads a (possibly gzip- or zstd-compressed) layer tar stream into a {@link LayerResult}. */
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
  const walker = new TarWalker((h) => onEntry(h, result, layer, want, limits, where), where);
  let chunks: AsyncIterable<Buffer> | undefined;
  try {
    chunks = await decompressChunks(input, limits, where);
    for await (const c of chunks) walker.push(c);
    walker.end();
  } catch (e) {
    (chunks as { destroy?: () => void } | undefined)?.destroy?.();
    throw asVigilError(e, where);
  }
  return result;
}

// Decides per entry what to keep; returns a sink for the data a file contributes.
function onEntry(
  h: TarHeader,
  result: LayerResult,
  layer: number,
  want: WantFile,
  limits: ReadLimits,
  where: string,
): TarDataSink | undefined {
  result.entryCount++;
  if (result.entryCount > limits.maxEntries) {
    throw new VigilError(
      ImageErrors.tooManyEntries,
      `more than ${limits.maxEntries} entries in one layer`,
      { file: where, offset: h.offset },
    );
  }
  result.bytes += h.size;
  const path = normalizeEntryPath(h.name, where);
  const name = basename(path);
  const pos = { file: `${where}:${h.name}`, offset: h.offset };
  const mode = h.mode;
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
    const target = h.linkname;
    if (!target.startsWith('/') && resolveLinkTarget(path, target) === null) {
      throw new VigilError(
        ImageErrors.linkEscape,
        `symlink "${h.name}" -> "${target}" points outside the root`,
        pos,
      );
    }
    result.entries.set(path, { path, kind: 'symlink', layer, mode, size: 0, linkTarget: target });
  } else if (h.type === 'link') {
    const target = h.linkname;
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
      mode,
      size: 0,
      linkTarget: resolved,
    });
  } else if (h.type === 'file' || h.type === 'contiguous-file') {
    const size = h.size;
    const wanted = want(path, size, mode);
    if (typeof wanted === 'object') {
      // Large files a cataloger only needs an extract of stream through its reducer.
      return {
        data: (c) => wanted.write(c),
        end() {
          const data = wanted.end();
          const rec: FileRecord = data
            ? { path, kind: 'file', layer, mode, size, data, reducedBy: wanted.id }
            : { path, kind: 'file', layer, mode, size };
          result.entries.set(path, rec);
        },
      };
    }
    if (wanted && size <= limits.maxFileBytes) return collect(path, layer, mode, size, result);
    // An oversized wanted path must still hide the lower version; other paths are not kept.
    if (wanted) result.entries.set(path, { path, kind: 'file', layer, mode, size });
  }
  return undefined;
}

// A wanted file's content, whole; its size is known from the header, so one allocation.
function collect(
  path: string,
  layer: number,
  mode: number,
  size: number,
  result: LayerResult,
): TarDataSink {
  const data = Buffer.allocUnsafe(size);
  let filled = 0;
  return {
    data(c) {
      c.copy(data, filled);
      filled += c.length;
    },
    end() {
      result.entries.set(path, { path, kind: 'file', layer, mode, size, data });
    },
  };
}

function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}
