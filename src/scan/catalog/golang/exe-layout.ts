/**
 * The parts of an executable's headers that Go build info reading needs, for ELF, PE and
 * Mach-O: which file bytes are mapped at which virtual address (old-format build info holds
 * addresses), and where the linker puts the build info header (Go's own `DataStart` rule,
 * per format). Malformed headers throw `SCAN_GO_BINARY_HEADER` with the byte offset of the
 * field that is wrong; files of none of these formats give undefined.
 * @module
 */
import { VigilError } from '../../../core/index.ts';

/** File bytes mapped at a virtual address (an ELF segment, a PE section, a Mach-O segment). */
export interface MappedRange {
  vaddr: bigint;
  offset: number;
  size: number;
}

/** Where an executable's bytes live and where its build info header may sit. */
export interface ExeLayout {
  format: 'elf' | 'pe' | 'macho';
  ranges: MappedRange[];
  /** Does a build info header at this file offset lie where the Go linker puts it? */
  holdsHeader(offset: number): boolean;
  /** File intervals `[start, end)` holding every offset {@link holdsHeader} accepts. */
  headerSpans: [number, number][];
}

/** The bytes a layout is read from: `len` bytes at `offset`, undefined when not available. */
export interface HeaderBytes {
  at(offset: number, len: number): Buffer | undefined;
  /** File size when known; bounds are checked against it. */
  size?: number;
}

/** Error code for malformed executable headers. */
export const BAD_HEADER = 'SCAN_GO_BINARY_HEADER';
// Counts above these are hostile or corrupt: real binaries have tens of each.
const MAX_ELF_SEGMENTS = 4096;
const MAX_PE_SECTIONS = 1024;
const MAX_MACHO_COMMANDS = 4096;
const MAX_MACHO_SECTIONS = 1024;
// Go reads this much from the data start when looking for the header.
const DATA_WINDOW = 64 * 1024;

function fail(message: string, offset: number): never {
  throw new VigilError(BAD_HEADER, message, { offset });
}

// `len` bytes at `offset`, or a fault naming `what` (truncated file) or undefined (not kept).
function need(f: HeaderBytes, offset: number, len: number, what: string): Buffer | undefined {
  if (f.size !== undefined && offset + len > f.size)
    fail(
      `${what} (${len} bytes at ${offset}) runs past the end of the file (${f.size} bytes)`,
      offset,
    );
  return f.at(offset, len);
}

function checkRange(f: HeaderBytes, r: MappedRange, what: string, entry: number): void {
  if (r.size > 0 && f.size !== undefined && r.offset + r.size > f.size)
    fail(
      `${what} file range ${r.offset}+${r.size} runs past the end of the file (${f.size} bytes)`,
      entry,
    );
}

/** Reads the layout of an ELF, PE or Mach-O file; undefined for other files or unkept headers. */
export function exeLayout(f: HeaderBytes): ExeLayout | undefined {
  const id = f.at(0, 4);
  if (!id) return undefined;
  const m = id.readUInt32BE(0);
  if (m === 0x7f454c46) return elfLayout(f);
  if (id.readUInt16BE(0) === 0x4d5a) return peLayout(f);
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe].includes(m)) return machoLayout(f, m);
  return undefined;
}

function elfLayout(f: HeaderBytes): ExeLayout | undefined {
  const id = need(f, 0, 52, 'ELF header');
  if (!id) return undefined;
  const is64 = id[4] === 2;
  const le = id[5] !== 2;
  const hdr = is64 ? need(f, 0, 64, 'ELF header') : id;
  if (!hdr) return undefined;
  const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const word = (b: Buffer, o: number): number =>
    is64 ? Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o)) : u32(b, o);
  const phoff = word(hdr, is64 ? 0x20 : 0x1c);
  const phentsize = u16(hdr, is64 ? 0x36 : 0x2a);
  const phnum = u16(hdr, is64 ? 0x38 : 0x2c);
  if (phnum > MAX_ELF_SEGMENTS)
    fail(`ELF program header count ${phnum} is implausible`, is64 ? 0x38 : 0x2c);
  if (phnum > 0 && phentsize < (is64 ? 56 : 32))
    fail(`ELF program header size ${phentsize} is too small`, is64 ? 0x36 : 0x2a);
  const table = need(f, phoff, phentsize * phnum, 'ELF program header table');
  if (!table) return undefined;
  const ranges: MappedRange[] = [];
  const writable: MappedRange[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = table.subarray(i * phentsize);
    if (u32(p, 0) !== 1) continue; // PT_LOAD
    const flags = u32(p, is64 ? 4 : 24);
    const r: MappedRange = is64
      ? { offset: word(p, 8), vaddr: BigInt(word(p, 16)), size: word(p, 32) }
      : { offset: word(p, 4), vaddr: BigInt(word(p, 8)), size: word(p, 16) };
    checkRange(f, r, `ELF segment ${i}`, phoff + i * phentsize);
    ranges.push(r);
    if ((flags & 2) !== 0) writable.push(r);
  }
  // Any writable segment: section headers (where `.go.buildinfo` is named) usually sit at the
  // end of the file, past what a stream capture keeps; the same bytes in read-only data are a
  // string literal of a program that reads build info itself.
  return {
    format: 'elf',
    ranges,
    holdsHeader: (o) => writable.some((r) => inRange(r, o)),
    headerSpans: writable.map((r) => [r.offset, r.offset + r.size]),
  };
}

function inRange(r: MappedRange, o: number): boolean {
  return o >= r.offset && o < r.offset + r.size;
}

const PE_INIT_DATA = 0x40;
const PE_READ = 0x40000000;
const PE_WRITE = 0x80000000;
const PE_ALIGN_32 = 0x600000;

function peLayout(f: HeaderBytes): ExeLayout | undefined {
  const dos = need(f, 0, 64, 'DOS header');
  if (!dos) return undefined;
  const peOff = dos.readUInt32LE(0x3c);
  const coff = need(f, peOff, 24, 'PE header');
  if (!coff) return undefined;
  // An MZ file without a PE signature is a DOS program, not a broken PE one.
  if (coff.readUInt32BE(0) !== 0x50450000) return undefined;
  const nsect = coff.readUInt16LE(6);
  const optSize = coff.readUInt16LE(20);
  if (nsect > MAX_PE_SECTIONS) fail(`PE section count ${nsect} is implausible`, peOff + 6);
  const opt = need(f, peOff + 24, Math.max(optSize, 2), 'PE optional header');
  if (!opt) return undefined;
  const magic = opt.readUInt16LE(0);
  let imageBase = 0n;
  if (magic === 0x10b && optSize >= 32) imageBase = BigInt(opt.readUInt32LE(28));
  else if (magic === 0x20b && optSize >= 32) imageBase = opt.readBigUInt64LE(24);
  else
    fail(
      `PE optional header magic 0x${magic.toString(16)} (size ${optSize}) is not PE32/PE32+`,
      peOff + 24,
    );
  const secOff = peOff + 24 + optSize;
  const table = need(f, secOff, 40 * nsect, 'PE section table');
  if (!table) return undefined;
  const ranges: MappedRange[] = [];
  let data: MappedRange | undefined;
  for (let i = 0; i < nsect; i++) {
    const s = table.subarray(i * 40);
    const rva = s.readUInt32LE(12);
    const r: MappedRange = {
      vaddr: imageBase + BigInt(rva),
      size: s.readUInt32LE(16),
      offset: s.readUInt32LE(20),
    };
    checkRange(f, r, `PE section ${i}`, secOff + i * 40);
    ranges.push(r);
    // Go's rule: the build info is in the first initialized, readable, writable data section.
    const chars = s.readUInt32LE(36) & ~PE_ALIGN_32;
    if (
      !data &&
      rva !== 0 &&
      r.size !== 0 &&
      chars >>> 0 === (PE_INIT_DATA | PE_READ | PE_WRITE) >>> 0
    )
      data = r;
  }
  return {
    format: 'pe',
    ranges,
    holdsHeader: (o) => inWindow(data, o),
    headerSpans: windowSpan(data),
  };
}

function windowSpan(data: MappedRange | undefined): [number, number][] {
  return data ? [[data.offset, data.offset + Math.min(data.size, DATA_WINDOW)]] : [];
}

// Go looks at the first 64 KiB of the data start for a header aligned to 16 from there.
function inWindow(data: MappedRange | undefined, o: number): boolean {
  return (
    data !== undefined &&
    o >= data.offset &&
    o < data.offset + Math.min(data.size, DATA_WINDOW) &&
    (o - data.offset) % 16 === 0
  );
}

function machoLayout(f: HeaderBytes, magic: number): ExeLayout | undefined {
  const be = magic === 0xfeedface || magic === 0xfeedfacf;
  const is64 = magic === 0xfeedfacf || magic === 0xcffaedfe;
  const hsize = is64 ? 32 : 28;
  const hdr = need(f, 0, hsize, 'Mach-O header');
  if (!hdr) return undefined;
  const u32 = (b: Buffer, o: number) => (be ? b.readUInt32BE(o) : b.readUInt32LE(o));
  const u64 = (b: Buffer, o: number) => (be ? b.readBigUInt64BE(o) : b.readBigUInt64LE(o));
  const ncmds = u32(hdr, 16);
  const sizeofcmds = u32(hdr, 20);
  if (ncmds > MAX_MACHO_COMMANDS) fail(`Mach-O load command count ${ncmds} is implausible`, 16);
  const cmds = need(f, hsize, sizeofcmds, 'Mach-O load commands');
  if (!cmds) return undefined;
  const ranges: MappedRange[] = [];
  let section: MappedRange | undefined;
  let rwSegment: MappedRange | undefined;
  for (let i = 0, p = 0; i < ncmds; i++) {
    if (p + 8 > sizeofcmds)
      fail(`Mach-O load command ${i} starts past the commands' size`, hsize + p);
    const cmd = u32(cmds, p);
    const size = u32(cmds, p + 4);
    if (size < 8 || p + size > sizeofcmds)
      fail(`Mach-O load command ${i} size ${size} is outside the commands' size`, hsize + p + 4);
    const segSize = is64 ? 72 : 56;
    if ((cmd === 0x19 && is64) || (cmd === 0x1 && !is64)) {
      if (size < segSize)
        fail(`Mach-O segment command ${i} size ${size} is too small`, hsize + p + 4);
      const c = cmds.subarray(p, p + size);
      const name = c.toString('latin1', 8, 24).replace(/\0.*$/s, '');
      const r: MappedRange = is64
        ? { vaddr: u64(c, 24), offset: Number(u64(c, 40)), size: Number(u64(c, 48)) }
        : { vaddr: BigInt(u32(c, 24)), offset: u32(c, 32), size: u32(c, 36) };
      const prot = is64 ? [u32(c, 56), u32(c, 60)] : [u32(c, 40), u32(c, 44)];
      const nsects = u32(c, is64 ? 64 : 48);
      const secSize = is64 ? 80 : 68;
      if (nsects > MAX_MACHO_SECTIONS || segSize + nsects * secSize > size)
        fail(
          `Mach-O segment ${name} claims ${nsects} sections, more than its command holds`,
          hsize + p + (is64 ? 64 : 48),
        );
      checkRange(f, r, `Mach-O segment ${name}`, hsize + p);
      // __PAGEZERO maps no file bytes (Go skips it when resolving addresses).
      if (name !== '__PAGEZERO') ranges.push(r);
      if (!rwSegment && r.vaddr !== 0n && r.size !== 0 && prot[0] === 3 && prot[1] === 3)
        rwSegment = r;
      for (let s = 0; s < nsects; s++) {
        const sc = c.subarray(segSize + s * secSize);
        if (sc.toString('latin1', 0, 16).replace(/\0.*$/s, '') !== '__go_buildinfo') continue;
        section ??= is64
          ? { vaddr: u64(sc, 32), size: Number(u64(sc, 40)), offset: u32(sc, 48) }
          : { vaddr: BigInt(u32(sc, 32)), size: u32(sc, 36), offset: u32(sc, 40) };
      }
    }
    p += size;
  }
  // Go's rule: the `__go_buildinfo` section, else the first non-empty read-write segment.
  const data = section ?? rwSegment;
  return {
    format: 'macho',
    ranges,
    holdsHeader: (o) => inWindow(data, o),
    headerSpans: windowSpan(data),
  };
}

/** The file offset of a virtual address, or undefined when no range maps it. */
export function addrToOffset(layout: ExeLayout, vaddr: bigint): number | undefined {
  const r = layout.ranges.find((x) => vaddr >= x.vaddr && vaddr < x.vaddr + BigInt(x.size));
  return r ? r.offset + Number(vaddr - r.vaddr) : undefined;
}
