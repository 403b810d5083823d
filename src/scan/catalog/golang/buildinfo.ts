/**
 * Go build information embedded in binaries: the `\xff Go buildinf:` header, either the
 * inline format of Go >= 1.18 (varint-prefixed version and module strings right after the
 * header) or the pointer format of older releases (addresses of two string headers, resolved
 * through the ELF program headers), and the module lines it carries.
 * @module
 */

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

interface Segment {
  vaddr: bigint;
  offset: bigint;
  filesz: bigint;
  writable: boolean;
}

/** PT_LOAD segments of an ELF file; undefined when the file is not ELF. */
export function elfSegments(f: SparseFile): Segment[] | undefined {
  const id = f.at(0, 64);
  if (!id || id.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const is64 = id[4] === 2;
  const le = id[5] !== 2;
  const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const word = (b: Buffer, o: number): bigint =>
    is64 ? (le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o)) : BigInt(u32(b, o));
  const phoff = Number(word(id, is64 ? 0x20 : 0x1c));
  const phentsize = u16(id, is64 ? 0x36 : 0x2a);
  const phnum = u16(id, is64 ? 0x38 : 0x2c);
  if (phentsize < (is64 ? 56 : 32) || phnum > 256) return undefined;
  const table = f.at(phoff, phentsize * phnum);
  if (!table) return undefined;
  const out: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = table.subarray(i * phentsize);
    if (u32(p, 0) !== 1) continue; // PT_LOAD
    out.push(
      is64
        ? {
            offset: word(p, 8),
            vaddr: word(p, 16),
            filesz: word(p, 32),
            writable: (u32(p, 4) & 2) !== 0,
          }
        : {
            offset: word(p, 4),
            vaddr: word(p, 8),
            filesz: word(p, 16),
            writable: (u32(p, 24) & 2) !== 0,
          },
    );
  }
  return out;
}

function toOffset(segs: Segment[], vaddr: bigint): number | undefined {
  const s = segs.find((x) => vaddr >= x.vaddr && vaddr < x.vaddr + x.filesz);
  return s ? Number(s.offset + (vaddr - s.vaddr)) : undefined;
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
function pointerStrings(f: SparseFile, hdr: Buffer): [string, string] | undefined {
  const segs = elfSegments(f);
  const ptrSize = hdr[14]!;
  if (!segs || (ptrSize !== 4 && ptrSize !== 8)) return undefined;
  const be = (hdr[15]! & FLAG_BIG_ENDIAN) !== 0;
  const ptr = (b: Buffer, o: number): bigint =>
    ptrSize === 8
      ? be
        ? b.readBigUInt64BE(o)
        : b.readBigUInt64LE(o)
      : BigInt(be ? b.readUInt32BE(o) : b.readUInt32LE(o));
  const str = (addr: bigint): string | undefined => {
    const ho = toOffset(segs, addr);
    const h = ho === undefined ? undefined : f.at(ho, 2 * ptrSize);
    if (!h) return undefined;
    const len = Number(ptr(h, ptrSize));
    const co = toOffset(segs, ptr(h, 0));
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

/** Reads the build info of a Go binary; undefined when the file is not one. */
export function readBuildInfo(f: SparseFile): GoBuildInfo | undefined {
  const segs = elfSegments(f);
  for (const at of f.headers()) {
    // In ELF files the header lives in a writable data segment; the same bytes in read-only
    // data are a string literal (programs that read build info carry the magic themselves).
    if (segs) {
      const s = segs.find((x) => BigInt(at) >= x.offset && BigInt(at) < x.offset + x.filesz);
      if (s && !s.writable) continue;
    }
    const hdr = f.at(at, HEADER_SIZE);
    if (!hdr || !hdr.subarray(0, 14).equals(BUILDINFO_MAGIC)) continue;
    const inline = (hdr[15]! & FLAG_INLINE) !== 0;
    const strings = inline ? inlineStrings(f, at) : pointerStrings(f, hdr);
    if (!strings) continue;
    const [goVersion, mod] = strings;
    if (!goVersion.startsWith('go') && !goVersion.startsWith('devel')) continue;
    return { goVersion, format: inline ? 'inline' : 'pointer', ...parseModInfo(mod) };
  }
  return undefined;
}
