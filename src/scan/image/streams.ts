/**
 * Stream helpers: sniffing compression, gunzip with bomb limits, mapping stream errors to codes.
 * @module
 */
import { Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
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

/** Reads the first chunk of a stream and returns it with a stream that still yields everything. */
export async function peek(
  stream: AsyncIterable<Buffer>,
): Promise<{ head: Buffer; stream: Readable }> {
  const it = stream[Symbol.asyncIterator]();
  const first = await it.next();
  const head = first.done ? Buffer.alloc(0) : first.value;
  async function* rest(): AsyncGenerator<Buffer> {
    if (!first.done) yield first.value;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value;
    }
  }
  return { head, stream: Readable.from(rest(), { objectMode: false }) };
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

/**
 * Decompresses a stream if it is gzip, refusing outputs that grow past the limits
 * (a decompression bomb) before they are materialised.
 */
export async function decompress(
  input: AsyncIterable<Buffer>,
  limits: ReadLimits,
  where: string,
): Promise<Readable> {
  const { head, stream } = await peek(input);
  const kind = sniffCompression(head);
  if (kind === 'none') return stream;
  if (kind === 'zstd') {
    stream.destroy();
    throw new VigilError(
      ImageErrors.unsupported,
      'zstd-compressed layers are not supported on Node 20',
      { file: where },
    );
  }
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
  const gunzip = createGunzip();
  const out = stream.pipe(inCount).pipe(gunzip).pipe(outCount);
  for (const s of [stream, inCount, gunzip]) s.on('error', (e) => out.destroy(e));
  return out;
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
