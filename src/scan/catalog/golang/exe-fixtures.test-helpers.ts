/**
 * Minimal executables carrying Go build info in the pointer format of Go < 1.18 (which the
 * Go 1.19 toolchain here can no longer produce), as ELF, PE and Mach-O: a read-only part
 * with the version and module strings and a convincing decoy header (as programs that read
 * build info carry the magic in their string literals), and a writable part with the real
 * header and the two string headers it points to. Test support, not shipped.
 * @module
 */
import { INFO_END, INFO_START } from './buildinfo.ts';

/** The module lines every fixture carries. */
export const FIXTURE_MODINFO = [
  'path\texample.com/hello',
  'mod\texample.com/hello\t(devel)\t',
  'dep\tgithub.com/pkg/errors\tv0.9.1\th1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=',
  'dep\tgolang.org/x/text\tv0.3.0\th1:g61tztE5qeGQ89tm6NTjjM9VPIm088od1l6aSorWRWg=',
  '=>\tgolang.org/x/text\tv0.3.7\th1:olpwvP2KacW1ZWvsR7uQhoyTYvKAupfQrRGBFM352Gk=',
  '',
].join('\n');

/** The container formats {@link pointerExe} writes. */
export type FixtureKind =
  'elf64le' | 'elf32be' | 'elf32le' | 'pe32' | 'pe64' | 'macho64' | 'macho64-section' | 'macho32be';

/** File offsets of the fixture's parts (the same in every format). */
export const RO_OFF = 0x1000;
/** See {@link RO_OFF}. */
export const RW_OFF = 0x3000;
const RO_SIZE = 0x2000;
// Over 64 KiB in all, the smallest executable the cataloger reads.
const RW_SIZE = 0xe000;

interface Writer {
  buf: Buffer;
  u16(o: number, v: number): void;
  u32(o: number, v: number): void;
  u64(o: number, v: bigint): void;
  ptr(o: number, v: bigint): void;
}

function writer(ptrSize: number, le: boolean): Writer {
  const buf = Buffer.alloc(RW_OFF + RW_SIZE);
  const w: Writer = {
    buf,
    u16: (o, v) => void (le ? buf.writeUInt16LE(v, o) : buf.writeUInt16BE(v, o)),
    u32: (o, v) => void (le ? buf.writeUInt32LE(v >>> 0, o) : buf.writeUInt32BE(v >>> 0, o)),
    u64: (o, v) => void (le ? buf.writeBigUInt64LE(v, o) : buf.writeBigUInt64BE(v, o)),
    ptr: (o, v) => (ptrSize === 8 ? w.u64(o, v) : w.u32(o, Number(v))),
  };
  return w;
}

// The build info itself, given where the two parts are mapped.
function payload(w: Writer, ptrSize: number, le: boolean, ro: bigint, rw: bigint): void {
  const version = Buffer.from('go1.16.15');
  const mod = Buffer.concat([INFO_START, Buffer.from(FIXTURE_MODINFO), INFO_END]);
  // A complete inline-format header: accepted, it would give go1.99.0.
  const decoy = Buffer.from(
    `\xff Go buildinf:\x08\x02${'\0'.repeat(16)}\x08go1.99.0\x00`,
    'latin1',
  );
  decoy.copy(w.buf, RO_OFF + 0x100);
  version.copy(w.buf, RO_OFF + 0x203);
  mod.copy(w.buf, RO_OFF + 0xfe0);
  Buffer.from('\xff Go buildinf:', 'latin1').copy(w.buf, RW_OFF);
  w.buf[RW_OFF + 14] = ptrSize;
  w.buf[RW_OFF + 15] = le ? 0 : 1;
  const strings = RW_OFF + 0x4000;
  w.ptr(RW_OFF + 16, rw + 0x4000n);
  w.ptr(RW_OFF + 16 + ptrSize, rw + 0x4000n + BigInt(2 * ptrSize));
  w.ptr(strings, ro + 0x203n);
  w.ptr(strings + ptrSize, BigInt(version.length));
  w.ptr(strings + 2 * ptrSize, ro + 0xfe0n);
  w.ptr(strings + 3 * ptrSize, BigInt(mod.length));
}

function elf(is64: boolean, le: boolean): Buffer {
  const w = writer(is64 ? 8 : 4, le);
  const word = (o: number, v: number) => (is64 ? w.u64(o, BigInt(v)) : w.u32(o, v));
  w.buf.writeUInt32BE(0x7f454c46, 0);
  w.buf[4] = is64 ? 2 : 1;
  w.buf[5] = le ? 1 : 2;
  w.buf[6] = 1;
  const phoff = is64 ? 64 : 52;
  word(is64 ? 0x20 : 0x1c, phoff);
  w.u16(is64 ? 0x36 : 0x2a, is64 ? 56 : 32);
  w.u16(is64 ? 0x38 : 0x2c, 2);
  const segs = [
    { off: RO_OFF, vaddr: 0x401000, size: RO_SIZE, flags: 5 },
    { off: RW_OFF, vaddr: 0x603000, size: RW_SIZE, flags: 6 },
  ];
  segs.forEach((s, i) => {
    const p = phoff + i * (is64 ? 56 : 32);
    w.u32(p, 1);
    if (is64) {
      w.u32(p + 4, s.flags);
      word(p + 8, s.off);
      word(p + 16, s.vaddr);
      word(p + 32, s.size);
      word(p + 40, s.size);
    } else {
      word(p + 4, s.off);
      word(p + 8, s.vaddr);
      word(p + 16, s.size);
      word(p + 20, s.size);
      w.u32(p + 24, s.flags);
    }
  });
  payload(w, is64 ? 8 : 4, le, 0x401000n, 0x603000n);
  return w.buf;
}

/** Offset of the PE header in PE fixtures. */
export const PE_HEADER = 0x80;

function pe(is64: boolean): Buffer {
  const w = writer(is64 ? 8 : 4, true);
  const base = is64 ? 0x140000000n : 0x400000n;
  w.buf.write('MZ', 0, 'latin1');
  w.u32(0x3c, PE_HEADER);
  w.buf.writeUInt32BE(0x50450000, PE_HEADER);
  w.u16(PE_HEADER + 4, is64 ? 0x8664 : 0x14c);
  w.u16(PE_HEADER + 6, 2);
  const optSize = is64 ? 0xf0 : 0xe0;
  w.u16(PE_HEADER + 20, optSize);
  const opt = PE_HEADER + 24;
  w.u16(opt, is64 ? 0x20b : 0x10b);
  if (is64) w.u64(opt + 24, base);
  else w.u32(opt + 28, Number(base));
  const sections = [
    { name: '.rdata', rva: RO_OFF, size: RO_SIZE, chars: 0x40000040 },
    // Go's linker marks .data initialized, readable, writable (plus an alignment).
    { name: '.data', rva: RW_OFF, size: RW_SIZE, chars: 0xc0600040 },
  ];
  sections.forEach((s, i) => {
    const e = opt + optSize + i * 40;
    w.buf.write(s.name, e, 'latin1');
    w.u32(e + 8, s.size);
    w.u32(e + 12, s.rva);
    w.u32(e + 16, s.size);
    w.u32(e + 20, s.rva);
    w.u32(e + 36, s.chars);
  });
  payload(w, is64 ? 8 : 4, true, base + BigInt(RO_OFF), base + BigInt(RW_OFF));
  return w.buf;
}

function macho(is64: boolean, le: boolean, withSection: boolean): Buffer {
  const w = writer(is64 ? 8 : 4, le);
  const base = is64 ? 0x100000000n : 0n;
  w.u32(0, is64 ? 0xfeedfacf : 0xfeedface);
  const hsize = is64 ? 32 : 28;
  const segSize = is64 ? 72 : 56;
  const secSize = is64 ? 80 : 68;
  const segs = [
    { name: '__PAGEZERO', vaddr: 0n, off: 0, size: 0, vmsize: 0x1000, prot: 0, sect: false },
    {
      name: '__TEXT',
      vaddr: base + 0x1000n,
      off: RO_OFF,
      size: RO_SIZE,
      vmsize: RO_SIZE,
      prot: 5,
      sect: false,
    },
    {
      name: '__DATA',
      vaddr: base + 0x3000n,
      off: RW_OFF,
      size: RW_SIZE,
      vmsize: RW_SIZE,
      prot: 3,
      sect: withSection,
    },
  ];
  let p = hsize;
  for (const s of segs) {
    const size = segSize + (s.sect ? secSize : 0);
    w.u32(p, is64 ? 0x19 : 0x1);
    w.u32(p + 4, size);
    w.buf.write(s.name, p + 8, 'latin1');
    if (is64) {
      w.u64(p + 24, s.vaddr);
      w.u64(p + 32, BigInt(s.vmsize));
      w.u64(p + 40, BigInt(s.off));
      w.u64(p + 48, BigInt(s.size));
    } else {
      w.u32(p + 24, Number(s.vaddr));
      w.u32(p + 28, s.vmsize);
      w.u32(p + 32, s.off);
      w.u32(p + 36, s.size);
    }
    w.u32(p + (is64 ? 56 : 40), s.prot);
    w.u32(p + (is64 ? 60 : 44), s.prot);
    w.u32(p + (is64 ? 64 : 48), s.sect ? 1 : 0);
    if (s.sect) {
      const q = p + segSize;
      w.buf.write('__go_buildinfo', q, 'latin1');
      w.buf.write('__DATA', q + 16, 'latin1');
      if (is64) {
        w.u64(q + 32, s.vaddr);
        w.u64(q + 40, 0x20n);
        w.u32(q + 48, s.off);
      } else {
        w.u32(q + 32, Number(s.vaddr));
        w.u32(q + 36, 0x20);
        w.u32(q + 40, s.off);
      }
    }
    p += size;
  }
  w.u32(16, segs.length);
  w.u32(20, p - hsize);
  payload(w, is64 ? 8 : 4, le, base + 0x1000n, base + 0x3000n);
  return w.buf;
}

/** A pointer-format Go binary of the given container format. */
export function pointerExe(kind: FixtureKind): Buffer {
  switch (kind) {
    case 'elf64le':
      return elf(true, true);
    case 'elf32be':
      return elf(false, false);
    case 'elf32le':
      return elf(false, true);
    case 'pe32':
      return pe(false);
    case 'pe64':
      return pe(true);
    case 'macho64':
      return macho(true, true, false);
    case 'macho64-section':
      return macho(true, true, true);
    case 'macho32be':
      return macho(false, false, false);
  }
}

/** Every {@link FixtureKind}. */
export const FIXTURE_KINDS: FixtureKind[] = [
  'elf64le',
  'elf32be',
  'elf32le',
  'pe32',
  'pe64',
  'macho64',
  'macho64-section',
  'macho32be',
];
