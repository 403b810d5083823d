/**
 * Opening scap inputs: a file path (plain or gzip, detected by magic) or any readable stream
 * (a pipe from the live sensor). Bytes are streamed through the push parser, so memory stays
 * bounded by one block whatever the capture size.
 * @module
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { VigilError } from '../../../core/index.ts';
import { ScapParser, type ScapHandlers, type ScapParserOptions } from './parser.ts';
import type { ScapEvent } from './event.ts';

/** Totals of one read. */
export interface ReadSummary {
  events: number;
  /** Decompressed bytes consumed. */
  bytes: number;
}

/** A capture input: a file path or a readable byte stream. */
export type ScapInput = string | Readable;

/** Decompressed bytes of an input, gunzipping when the first bytes are the gzip magic. */
async function* inputBytes(input: ScapInput, file: string | undefined, state: { gzip: boolean }): AsyncGenerator<Buffer> {
  let raw: Readable;
  try {
    raw = typeof input === 'string' ? createReadStream(input, { highWaterMark: 1 << 17 }) : input;
  } catch (e) {
    throw new VigilError('SCAP_OPEN', `cannot open ${file}: ${(e as Error).message}`, { file });
  }
  const it = (raw as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = first.value;
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    state.gzip = true;
    const g = createGunzip({ chunkSize: 1 << 18 });
    const src = Readable.from(
      (async function* () {
        yield head;
        for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
      })(),
      { objectMode: false },
    );
    src.on('error', (e) => g.destroy(e));
    src.pipe(g);
    yield* g as AsyncIterable<Buffer>;
    return;
  }
  yield head;
  for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
}

/** Turns a stream/zlib failure into a VigilError with the decompressed offset reached. */
function readFailure(e: unknown, file: string | undefined, gzip: boolean, offset: number): VigilError {
  if (e instanceof VigilError) return e;
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'EISDIR') {
    return new VigilError('SCAP_OPEN', `cannot open ${file}: ${err.message}`, { file });
  }
  if (gzip) {
    const trunc = /unexpected end/i.test(err.message);
    return new VigilError(trunc ? 'SCAP_TRUNCATED' : 'SCAP_BAD_GZIP', `gzip stream ${trunc ? 'truncated' : 'corrupt'}: ${err.message}`, { file, offset });
  }
  return new VigilError('SCAP_READ', `read error: ${err.message}`, { file, offset });
}

/**
 * Reads a whole capture, calling the handlers synchronously per block/event. Resolves with the
 * totals; rejects with a VigilError (SCAP_*) after delivering every event before the bad byte.
 */
export async function readScap(input: ScapInput, handlers: ScapHandlers, opts: ScapParserOptions = {}): Promise<ReadSummary> {
  const file = opts.file ?? (typeof input === 'string' ? input : undefined);
  const parser = new ScapParser(handlers, { ...opts, file });
  const state = { gzip: false };
  const src = inputBytes(input, file, state);
  while (true) {
    let n: IteratorResult<Buffer>;
    try {
      n = await src.next();
    } catch (e) {
      throw readFailure(e, file, state.gzip, parser.offset);
    }
    if (n.done) break;
    parser.push(n.value); // handler exceptions pass through unchanged
  }
  parser.end();
  return { events: parser.eventCount, bytes: parser.offset };
}

/**
 * Async iteration over the events of a capture (metadata handlers optional). Pull-based: the
 * next input chunk is read only after the previous chunk's events were consumed.
 */
export async function* scapEvents(input: ScapInput, handlers: Omit<ScapHandlers, 'onEvent'> = {}, opts: ScapParserOptions = {}): AsyncGenerator<ScapEvent> {
  const file = opts.file ?? (typeof input === 'string' ? input : undefined);
  let batch: ScapEvent[] = [];
  const parser = new ScapParser({ ...handlers, onEvent: (e) => batch.push(e) }, { ...opts, file });
  const state = { gzip: false };
  const src = inputBytes(input, file, state);
  while (true) {
    let n: IteratorResult<Buffer>;
    try {
      n = await src.next();
    } catch (e) {
      throw readFailure(e, file, state.gzip, parser.offset);
    }
    if (n.done) break;
    try {
      parser.push(n.value);
    } finally {
      // events decoded before a corrupt block are still delivered
      const out = batch;
      batch = [];
      for (const ev of out) yield ev;
    }
  }
  parser.end();
}

