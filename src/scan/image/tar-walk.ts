/**
 * A synchronous, push-fed tar reader for layer tars. Layers hold tens of thousands of
 * entries of which a scan keeps a handful; tar-stream gives every entry its own stream and a
 * promise per chunk, which dominated small scans. Here chunks go in, headers and data slices
 * come out through callbacks, and skipped entries cost a header decode.
 *
 * Reads POSIX ustar (name prefix), pax extended headers (path, linkpath, size) and GNU long
 * names/links; base-256 sizes. Headers are checksum-verified; unknown formats are refused.
 * @module
 */
import { VigilError } from '../../core/index.ts';
import { ImageErrors } from './types.ts';

const BLOCK = 512;
// pax and GNU long-name payloads are held whole; no honest one comes near this.
const MAX_META = 1024 * 1024;

/** Entry kinds, named as tar-stream names them. */
export type TarEntryType =
  | 'file'
  | 'contiguous-file'
  | 'link'
  | 'symlink'
  | 'character-device'
  | 'block-device'
  | 'directory'
  | 'fifo'
  | 'other';

/** One entry's header, with pax and GNU long names applied. */
export interface TarHeader {
  name: string;
  type: TarEntryType;
  size: number;
  mode: number;
  linkname: string;
  /** Byte offset of the header block in the tar stream. */
  offset: number;
}

/** Receives one entry's data. */
export interface TarDataSink {
  data(chunk: Buffer): void;
  end(): void;
}

/** Called for each entry; returns a sink for its data, or undefined to skip the data. */
export type TarEntryHandler = (header: TarHeader) => TarDataSink | undefined;

const TYPES: Record<number, TarEntryType> = {
  0: 'file',
  0x30: 'file',
  0x31: 'link',
  0x32: 'symlink',
  0x33: 'character-device',
  0x34: 'block-device',
  0x35: 'directory',
  0x36: 'fifo',
  0x37: 'contiguous-file',
};

interface Meta {
  kind: 'pax' | 'pax-global' | 'long-name' | 'long-link';
  parts: Buffer[];
}

/** Push-fed tar parser; call {@link TarWalker.end} after the last chunk. */
export class TarWalker {
  private readonly header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  private remaining = 0;
  private padding = 0;
  private pos = 0;
  private sink: TarDataSink | undefined;
  private meta: Meta | undefined;
  private pax: Record<string, string> = {};
  private longName: string | undefined;
  private longLink: string | undefined;

  constructor(
    private readonly onEntry: TarEntryHandler,
    private readonly where: string,
  ) {}

  /** Feeds the next chunk of the tar stream. */
  push(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, n - i);
        const part = chunk.subarray(i, i + take);
        if (this.meta) this.meta.parts.push(Buffer.from(part));
        else this.sink?.data(part);
        this.remaining -= take;
        this.pos += take;
        i += take;
        if (this.remaining === 0) this.finishEntry();
      } else if (this.padding > 0) {
        const take = Math.min(this.padding, n - i);
        this.padding -= take;
        this.pos += take;
        i += take;
      } else if (this.headerFill === 0 && n - i >= BLOCK) {
        this.onHeader(chunk.subarray(i, i + BLOCK));
        i += BLOCK;
      } else {
        const take = Math.min(BLOCK - this.headerFill, n - i);
        chunk.copy(this.header, this.headerFill, i, i + take);
        this.headerFill += take;
        i += take;
        if (this.headerFill === BLOCK) {
          this.headerFill = 0;
          this.onHeader(this.header);
        }
      }
    }
  }

  /** Ends the stream; an entry or header cut short is a corrupt archive. */
  end(): void {
    if (this.remaining > 0 || this.headerFill > 0)
      throw this.corrupt('tar stream ends inside an entry (truncated archive)', this.pos);
  }

  private corrupt(message: string, offset: number): VigilError {
    return new VigilError(ImageErrors.corrupt, `unreadable archive: ${message}`, {
      file: this.where,
      offset,
    });
  }

  private onHeader(block: Buffer): void {
    const at = this.pos;
    this.pos += BLOCK;
    if (block[0] === 0 && isNull(block)) return; // end-of-archive marker
    if (!checksumOk(block)) throw this.corrupt('invalid tar header checksum', at);
    if (block.toString('latin1', 257, 262) !== 'ustar')
      throw this.corrupt('unknown tar format (no ustar magic)', at);
    const typeflag = block[156]!;
    const size = this.pax.size !== undefined ? Number(this.pax.size) : readNumber(block, 124, 12);
    if (!Number.isSafeInteger(size) || size < 0)
      throw this.corrupt('invalid entry size in tar header', at);
    const meta = metaKind(typeflag);
    if (meta) {
      if (size > MAX_META) throw this.corrupt(`tar ${meta} header of ${size} bytes`, at);
      this.meta = { kind: meta, parts: [] };
      this.startData(size);
      return;
    }
    const name = this.pax.path ?? this.longName ?? readName(block);
    const linkname = this.pax.linkpath ?? this.longLink ?? readString(block, 157, 100);
    let type = TYPES[typeflag] ?? 'other';
    if (type === 'file' && name.endsWith('/')) type = 'directory'; // pre-POSIX directories
    this.pax = {};
    this.longName = undefined;
    this.longLink = undefined;
    const mode = readNumber(block, 100, 8);
    this.sink = this.onEntry({ name, type, size, mode, linkname, offset: at });
    this.startData(size);
  }

  private startData(size: number): void {
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0) this.finishEntry();
  }

  private finishEntry(): void {
    const meta = this.meta;
    if (meta) {
      this.meta = undefined;
      const data = Buffer.concat(meta.parts);
      if (meta.kind === 'pax') this.pax = { ...this.pax, ...parsePax(data) };
      else if (meta.kind === 'long-name') this.longName = readString(data, 0, data.length);
      else if (meta.kind === 'long-link') this.longLink = readString(data, 0, data.length);
      return;
    }
    const sink = this.sink;
    this.sink = undefined;
    sink?.end();
  }
}

function metaKind(typeflag: number): Meta['kind'] | undefined {
  if (typeflag === 0x78) return 'pax'; // 'x'
  if (typeflag === 0x67) return 'pax-global'; // 'g': applies to nothing a scan reads
  if (typeflag === 0x4c) return 'long-name'; // 'L'
  if (typeflag === 0x4b) return 'long-link'; // 'K'
  return undefined;
}

// All zero but perhaps the checksum field, as tar-stream reads it.
function isNull(b: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) {
    if (i === 148) i = 156;
    if (b[i] !== 0) return false;
  }
  return true;
}

// The checksum field counts as eight spaces; old tars summed signed bytes, so accept either.
function checksumOk(b: Buffer): boolean {
  const stored = readNumber(b, 148, 8);
  let unsigned = 8 * 0x20;
  let signed = 8 * 0x20;
  for (let i = 0; i < BLOCK; i++) {
    if (i === 148) i = 156;
    const v = b[i]!;
    unsigned += v;
    signed += v > 127 ? v - 256 : v;
  }
  return stored === unsigned || stored === signed;
}

/** NUL-terminated field. */
function readString(b: Buffer, start: number, len: number): string {
  let end = start;
  const stop = start + len;
  while (end < stop && b[end] !== 0) end++;
  return b.toString('utf8', start, end);
}

// POSIX ustar ("ustar\0") splits long names into prefix/name; GNU ("ustar ") uses that area
// for other fields.
function readName(b: Buffer): string {
  const name = readString(b, 0, 100);
  if (b[262] !== 0) return name;
  const prefix = readString(b, 345, 155);
  return prefix ? `${prefix}/${name}` : name;
}

/** Octal ASCII (space/NUL padded) or GNU base-256 for values over the octal range. */
function readNumber(b: Buffer, start: number, len: number): number {
  if (b[start]! & 0x80) {
    if (b[start] === 0xff) return -1; // negative: never a valid size or mode
    let v = b[start]! & 0x7f;
    for (let i = start + 1; i < start + len; i++) v = v * 256 + b[i]!;
    return v;
  }
  let v = 0;
  let i = start;
  const stop = start + len;
  while (i < stop && (b[i] === 0x20 || b[i] === 0)) i++;
  for (; i < stop; i++) {
    const c = b[i]!;
    if (c < 0x30 || c > 0x37) break;
    v = v * 8 + (c - 0x30);
  }
  return v;
}

/** pax records: `LEN key=value\n`, LEN counting the whole record. */
function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = Number(data.toString('latin1', i, sp));
    if (!Number.isInteger(len) || len <= 0 || i + len > data.length) break;
    const rec = data.toString('utf8', sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}
