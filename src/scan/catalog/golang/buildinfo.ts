/**
 * Go build information embedded in binaries: the `\xff Go buildinf:` header, either the
 * inline format of Go >= 1.18 (varint-prefixed version and module strings right after the
 * header) or the pointer format of older releases (addresses of two string headers, resolved
 * through the ELF, PE or Mach-O headers), and the module lines it carries.
 * @module
 */
import { addrToOffset, exeLayout, type ExeLayout } from './exe-layout.ts';

/** A Go module as build info records it. */
export interface GoModule {
  path: string;
  version: string;
  sum?: string;
  /** The module that replaced this one (`=>` line). */
  replace?: GoModule;
}

/** What a Go binary says about how it was built. */
export interface GoBuildInfo {
  /** `go1.21.5` (possibly with suffixes such as ` X:boringcrypto`). */
  goVersion: string;
  /** Package path of the main package. */
  path?: string;
  main?: GoModule;
  deps: GoModule[];
  settings: Record<string, string>;
  format: 'inline' | 'pointer';
}

/** Byte ranges of a file known by offset: the whole file, or what a stream capture kept. */
export interface SparseFile {
  /** `len` bytes at `offset`, or undefined when that range was not kept. */
  at(offset: number, len: number): Buffer | undefined;
  /** Every kept byte from `offset` to the end of its contiguous range. */
  from(offset: number): Buffer | undefined;
  /** File offsets of 16-byte-aligned build info headers, in file order. */
  headers(): number[];
  /** File size when known (header bounds are checked against it). */
  size?: number;
}

/** The 14-byte magic that starts the build info header. */
export const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
/** Sentinels the go command wraps the module information string in. */
export const INFO_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
/** See {@link INFO_START}. */
export const INFO_END = Buffer.from('f932433186182072008242104116d8f2', 'hex');
/** Size of the build info header. */
export const HEADER_SIZE = 32;

const FLAG_BIG_ENDIAN = 1;
const FLAG_INLINE = 2;
const MAX_STRING = 4 * 1024 * 1024;

/** A whole file in memory as a {@link SparseFile}. */
export function wholeFile(buf: Buffer): SparseFile {
  return {
    size: buf.length,
    at: (o, n) => (o >= 0 && n >= 0 && o + n <= buf.length ? buf.subarray(o, o + n) : undefined),
    from: (o) => (o >= 0 && o < buf.length ? buf.subarray(o) : undefined),
    headers() {
      const out: number[] = [];
      for (let i = buf.indexOf(BUILDINFO_MAGIC); i >= 0; i = buf.indexOf(BUILDINFO_MAGIC, i + 1))
        if (i % 16 === 0) out.push(i);
      return out;
    },
  };
}

function uvarint(b: Buffer, pos: number): [number, number] | undefined {
  let v = 0;
  for (let i = 0, shift = 0; i < 10 && pos + i < b.length; i++, shift += 7) {
    const c = b[pos + i]!;
    v += (c & 0x7f) * 2 ** shift;
    if (c < 0x80) return v > MAX_STRING ? undefined : [v, pos + i + 1];
  }
  return undefined;
}

// Old format: the header holds the addresses of the version and modinfo string headers.
function pointerStrings(
  f: SparseFile,
  layout: ExeLayout | undefined,
  hdr: Buffer,
): [string, string] | undefined {
  const ptrSize = hdr[14]!;
  if (!layout || (ptrSize !== 4 && ptrSize !== 8)) return undefined;
  const be = (hdr[15]! & FLAG_BIG_ENDIAN) !== 0;
  const ptr = (b: Buffer, o: number): bigint =>
    ptrSize === 8
      ? be
        ? b.readBigUInt64BE(o)
        : b.readBigUInt64LE(o)
      : BigInt(be ? b.readUInt32BE(o) : b.readUInt32LE(o));
  const str = (addr: bigint): string | undefined => {
    const ho = addrToOffset(layout, addr);
    const h = ho === undefined ? undefined : f.at(ho, 2 * ptrSize);
    if (!h) return undefined;
    const len = Number(ptr(h, ptrSize));
    const co = addrToOffset(layout, ptr(h, 0));
    if (len > MAX_STRING || co === undefined) return undefined;
    return len === 0 ? '' : f.at(co, len)?.toString('utf8');
  };
  const version = str(ptr(hdr, 16));
  const mod = str(ptr(hdr, 16 + ptrSize));
  return version === undefined || mod === undefined ? undefined : [version, mod];
}

function inlineStrings(f: SparseFile, at: number): [string, string] | undefined {
  const body = f.from(at + HEADER_SIZE);
  if (!body) return undefined;
  const v = uvarint(body, 0);
  if (!v || v[1] + v[0] > body.length) return undefined;
  const m = uvarint(body, v[1] + v[0]);
  if (!m || m[1] + m[0] > body.length) return undefined;
  return [body.toString('utf8', v[1], v[1] + v[0]), body.toString('utf8', m[1], m[1] + m[0])];
}

/** Parses the module information string (`path`, `mod`, `dep`, `=>`, `build` lines). */
export function parseModInfo(text: string): Omit<GoBuildInfo, 'goVersion' | 'format'> {
  let mod = text;
  if (mod.length >= 33 && mod[mod.length - 17] === '\n') mod = mod.slice(16, -16);
  const out: Omit<GoBuildInfo, 'goVersion' | 'format'> = { deps: [], settings: {} };
  let last: GoModule | undefined;
  for (const line of mod.split('\n')) {
    const [kind, ...rest] = line.split('\t');
    const m = (): GoModule => {
      const r: GoModule = { path: rest[0] ?? '', version: rest[1] ?? '' };
      if (rest[2]) r.sum = rest[2];
      return r;
    };
    if (kind === 'path' && rest[0]) out.path = rest[0];
    else if (kind === 'mod' && rest[0]) out.main = last = m();
    else if (kind === 'dep' && rest[0]) out.deps.push((last = m()));
    else if (kind === '=>' && last) last.replace = m();
    else if (kind === 'build' && rest.length) {
      const kv = rest.join('\t');
      const eq = kv.indexOf('=');
      if (eq > 0) out.settings[kv.slice(0, eq)] = kv.slice(eq + 1).replace(/^"(.*)"$/, '$1');
    }
  }
  return out;
}

/**
 * Reads the build info of a Go binary; undefined when the file is not one. Throws
 * `SCAN_GO_BINARY_HEADER` (with a byte offset) when the executable's headers are malformed.
 */
export function readBuildInfo(f: SparseFile): GoBuildInfo | undefined {
  const layout = exeLayout(f);
  for (const at of f.headers()) {
    // Only where the linker puts the header: the same bytes elsewhere (read-only data) are a
    // string literal of a program that reads build info itself.
    if (layout && !layout.holdsHeader(at)) continue;
    const hdr = f.at(at, HEADER_SIZE);
    if (!hdr || !hdr.subarray(0, 14).equals(BUILDINFO_MAGIC)) continue;
    const inline = (hdr[15]! & FLAG_INLINE) !== 0;
    const strings = inline ? inlineStrings(f, at) : pointerStrings(f, layout, hdr);
    if (!strings) continue;
    const [goVersion, mod] = strings;
    if (!goVersion.startsWith('go') && !goVersion.startsWith('devel')) continue;
    return { goVersion, format: inline ? 'inline' : 'pointer', ...parseModInfo(mod) };
  }
  return undefined;
}
