/**
 * Stream helpers: sniffing compression, gunzip with bomb limits, mapping stream errors to codes.
 * @module
 */
import { Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import { VigilError } from '../../core/index.ts';
import { ImageErrors, type ReadLimits } from './types.ts';

/** Compression of a stream, from its first bytes. */
export type Compression = 'gzip' | 'zstd' | 'none';

/** Detects compression from magic bytes. */
export function sniffCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

/**
 * Reads the first chunk of a stream; `rest` yields that chunk again and then the others. A
 * plain iterator object rather than a generator or stream: each chunk costs one call, and
 * `return` (a consumer breaking off) still reaches the source.
 */
export async function peek(
  input: AsyncIterable<Buffer>,
): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const it = input[Symbol.asyncIterator]();
  const first = await it.next();
  const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
  let replay = !first.done;
  const rest: AsyncIterableIterator<Buffer> = {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      if (replay) {
        replay = false;
        return Promise.resolve({ done: false, value: head });
      }
      if (first.done) return Promise.resolve({ done: true, value: undefined });
      return it.next();
    },
    return(value?: unknown) {
      return it.return
        ? it.return(value)
        : Promise.resolve({ done: true as const, value: value as undefined });
    },
  };
  return { head, rest };
}

/** Counts bytes passing through; calls back on each chunk with the running total. */
export function counter(onBytes: (total: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      total += chunk.length;
      try {
        onBytes(total);
      } catch (e) {
        cb(e as Error);
        return;
      }
      cb(null, chunk);
    },
  });
}

// zlib's default 16 KiB output chunks quadruple the per-chunk work downstream (tar parsing,
// reducers, stream hops) for no gain in memory worth having.
const INFLATE_CHUNK = 64 * 1024;

/**
 * Decompresses a stream if it is gzip or zstd, refusing outputs that grow past the limits
 * (a decompression bomb) before they are materialised.
 */
export async function decompress(
  input: AsyncIterable<Buffer>,
  limits: ReadLimits,
  where: string,
): Promise<Readable> {
  const { head, rest } = await peek(input);
  const kind = sniffCompression(head);
  const stream = Readable.from(rest, { objectMode: false });
  return kind === 'none' ? stream : inflate(stream, kind, limits, where);
}

/**
 * Like {@link decompress}, but an uncompressed input comes back as the input itself: no
 * stream in between, so a plain layer tar costs nothing but its parsing.
 */
export async function decompressChunks(
  input: AsyncIterable<Buffer>,
  limits: ReadLimits,
  where: string,
): Promise<AsyncIterable<Buffer>> {
  const { head, rest } = await peek(input);
  const kind = sniffCompression(head);
  if (kind === 'none') return rest;
  return inflate(Readable.from(rest, { objectMode: false }), kind, limits, where);
}

function inflate(
  stream: Readable,
  kind: 'gzip' | 'zstd',
  limits: ReadLimits,
  where: string,
): Readable {
  let compressed = 0;
  const inCount = counter((t) => (compressed = t));
  const outCount = counter((t) => {
    if (t > limits.maxTotalBytes) {
      throw new VigilError(
        ImageErrors.bomb,
        `decompressed size exceeds ${limits.maxTotalBytes} bytes`,
        { file: where },
      );
    }
    if (t > limits.ratioGraceBytes && t > compressed * limits.maxRatio) {
      throw new VigilError(
        ImageErrors.bomb,
        `decompression ratio above ${limits.maxRatio}:1 (${t} bytes from ${compressed})`,
        {
          file: where,
          offset: compressed,
        },
      );
    }
  });
  const inflater =
    kind === 'zstd' ? createUnzstd(where, limits) : createGunzip({ chunkSize: INFLATE_CHUNK });
  const out = stream.pipe(inCount).pipe(inflater).pipe(outCount);
  for (const s of [stream, inCount, inflater]) s.on('error', (e) => out.destroy(e));
  // A consumer that stops early (a refused entry) must release the source too.
  out.once('close', () => {
    for (const s of [stream, inCount, inflater]) s.destroy();
  });
  return out;
}

// zstd's own decoders refuse windows over 2^27 bytes unless told otherwise; so do we, since
// the decoder allocates the whole window up front.
const MAX_ZSTD_WINDOW = 2 ** 27;

/** The window size a zstd frame header declares; undefined when the header is incomplete. */
export function zstdWindowSize(h: Buffer): number | undefined {
  if (h.length < 6) return undefined;
  const fhd = h[4]!;
  const single = (fhd & 0x20) !== 0;
  if (!single) {
    const wd = h[5]!;
    const base = 2 ** (10 + (wd >> 3));
    return base + (base / 8) * (wd & 7);
  }
  const dictBytes = [0, 1, 2, 4][fhd & 3]!;
  const fcsBytes = [1, 2, 4, 8][fhd >> 6]!;
  const at = 5 + dictBytes;
  if (h.length < at + fcsBytes) return undefined;
  if (fcsBytes === 1) return h[at]!;
  if (fcsBytes === 2) return h.readUInt16LE(at) + 256;
  if (fcsBytes === 4) return h.readUInt32LE(at);
  return Number(h.readBigUInt64LE(at));
}

/**
 * A zstd decompressing stream (Node 20's zlib has none): fzstd's pure-JS streaming decoder
 * behind a Transform. Output is counted inside the decoder callback, so one small input chunk
 * that expands enormously is refused before it is all held.
 */
export function createUnzstd(where: string, limits: ReadLimits): Transform {
  let pending: Buffer[] = [];
  let inBytes = 0;
  let outBytes = 0;
  let checked = false;
  const dec = new ZstdDecompress((chunk) => {
    outBytes += chunk.length;
    if (
      outBytes > limits.maxTotalBytes ||
      (outBytes > limits.ratioGraceBytes && outBytes > inBytes * limits.maxRatio)
    )
      throw new VigilError(
        ImageErrors.bomb,
        `zstd output ${outBytes} bytes from ${inBytes} over the limits`,
        { file: where, offset: inBytes },
      );
    pending.push(Buffer.from(chunk)); // a copy: the decoder reuses its window
  });
  const push = (t: Transform, chunk: Uint8Array, final: boolean): Error | undefined => {
    try {
      dec.push(chunk, final);
    } catch (e) {
      pending = [];
      return asVigilError(e, where);
    }
    for (const c of pending) t.push(c);
    pending = [];
    return undefined;
  };
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      inBytes += chunk.length;
      if (!checked) {
        const w = zstdWindowSize(chunk);
        if (w !== undefined && w > MAX_ZSTD_WINDOW) {
          cb(
            new VigilError(ImageErrors.bomb, `zstd window of ${w} bytes over ${MAX_ZSTD_WINDOW}`, {
              file: where,
            }),
          );
          return;
        }
        checked = true;
      }
      cb(push(this, chunk, false));
    },
    flush(cb) {
      cb(push(this, new Uint8Array(0), true));
    },
  });
}

/** Turns a stream or parser error into a VigilError with a stable code. */
export function asVigilError(e: unknown, where: string): VigilError {
  if (e instanceof VigilError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT')
    return new VigilError(ImageErrors.notFound, `not found: ${where}`, { file: where });
  return new VigilError(
    ImageErrors.corrupt,
    `unreadable archive: ${msg}`,
    { file: where },
    { cause: e },
  );
}
