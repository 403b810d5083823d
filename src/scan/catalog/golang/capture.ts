/**
 * Captures what build info parsing needs from a Go binary while it streams past, holding a
 * few kilobytes instead of the whole file: the ELF headers, each aligned build info header
 * with what follows it, the module string between its sentinels, `go1.` strings (an old
 * binary's version string lies before its header), and, once an old-format header is read,
 * the string headers it points to.
 * @module
 */
import type { FileReducer } from '../../image/index.ts';
import { VigilError } from '../../../core/index.ts';
import {
  BUILDINFO_MAGIC,
  HEADER_SIZE,
  INFO_END,
  INFO_START,
  readBuildInfo,
  type SparseFile,
} from './buildinfo.ts';
import { addrToOffset, exeLayout, type ExeLayout } from './exe-layout.ts';

const HEAD = 64 * 1024;
const AFTER_HEADER = 512 * 1024;
const MAX_MODINFO = 1024 * 1024;
const TAIL = 64;
const GO1 = Buffer.from('go1.');
const MAX_HEADERS = 8;
const MAX_SENTINELS = 4;
const MAX_GO1 = 1024;

interface Range {
  start: number;
  end: number;
  parts: Buffer[];
  filled: number;
  modinfo?: boolean;
}

// ELF, PE (MZ), Mach-O (both byte orders, 32/64-bit) and fat Mach-O.
function isBinary(b: Buffer): boolean {
  if (b.length < 4) return false;
  const m = b.readUInt32BE(0);
  return (
    m === 0x7f454c46 ||
    b.readUInt16BE(0) === 0x4d5a ||
    [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(m)
  );
}

/** A {@link FileReducer} whose extract is the binary's build info as JSON. */
export class GoBuildInfoCapture implements FileReducer {
  readonly id = 'golang';
  private pos = 0;
  private dead = false;
  private tail = Buffer.alloc(0);
  private ranges: Range[] = [];
  private headerOffsets: number[] = [];
  private resolved = new Set<number>();
  private go1 = 0;
  private sentinels = 0;
  // Where a header may lie, once the executable's headers are read (undefined: anywhere).
  private headerSpans: [number, number][] | undefined;
  private spansKnown = false;

  constructor() {
    this.open(0, HEAD);
  }

  /** Feeds the next chunk of the file. */
  write(chunk: Buffer): void {
    if (this.dead || chunk.length === 0) return;
    if (this.pos === 0 && !isBinary(chunk)) {
      this.dead = true;
      this.ranges = [];
      return;
    }
    const start = this.pos;
    if (this.tail.length) {
      const junction = Buffer.concat([this.tail, chunk.subarray(0, TAIL)]);
      this.search(junction, start - this.tail.length, this.tail.length);
    }
    this.search(chunk, start, -1);
    for (const r of this.ranges) this.fill(r, chunk, start);
    this.pos += chunk.length;
    this.tail =
      chunk.length >= TAIL
        ? Buffer.from(chunk.subarray(chunk.length - TAIL))
        : Buffer.concat([this.tail, chunk]).subarray(-TAIL);
    this.resolvePointers();
    if (!this.spansKnown && this.pos >= HEAD) this.learnSpans();
  }

  // The magic is searched only where Go's linker puts the header (most of a binary is code
  // and read-only data); readBuildInfo applies the same rule, so nothing found is lost.
  private learnSpans(): void {
    this.spansKnown = true;
    const spans = layoutOf(this.sparse())?.headerSpans;
    if (spans) this.headerSpans = [...spans].sort((a, b) => a[0] - b[0]);
  }

  /**
   * Parses what was captured: the build info as JSON, `{"fault": diagnostic}` for malformed
   * executable headers, or undefined for other files.
   */
  end(): Buffer | undefined {
    if (this.dead) return undefined;
    try {
      const info = readBuildInfo(this.sparse(this.pos));
      return info ? Buffer.from(JSON.stringify(info)) : undefined;
    } catch (e) {
      if (!(e instanceof VigilError)) throw e;
      return Buffer.from(JSON.stringify({ fault: e.diagnostic }));
    } finally {
      this.ranges = [];
    }
  }

  // Matches wholly inside `buf`, or (for the junction of two chunks) straddling position `cut`.
  private search(buf: Buffer, base: number, cut: number): void {
    const each = (pat: Buffer, on: (off: number) => void, lo = 0, hi = buf.length): void => {
      for (let i = buf.indexOf(pat, lo); i >= 0 && i < hi; i = buf.indexOf(pat, i + 1)) {
        if (cut >= 0 && (i >= cut || i + pat.length <= cut)) continue;
        on(base + i);
      }
    };
    const onMagic = (off: number): void => {
      if (off % 16 !== 0 || this.headerOffsets.length >= MAX_HEADERS) return;
      this.headerOffsets.push(off);
      this.open(off, off + HEADER_SIZE + AFTER_HEADER);
    };
    if (!this.headerSpans) each(BUILDINFO_MAGIC, onMagic);
    else
      for (const [from, to] of this.headerSpans) {
        const lo = Math.max(0, from - base);
        const hi = Math.min(buf.length, to - base);
        if (lo < hi) each(BUILDINFO_MAGIC, onMagic, lo, hi);
      }
    each(INFO_START, (off) => {
      if (this.sentinels++ < MAX_SENTINELS) this.open(off, off + MAX_MODINFO).modinfo = true;
    });
    // The end sentinel matters only while a module string is being kept.
    if (this.ranges.some((r) => r.modinfo && r.filled < r.end - r.start))
      each(INFO_END, (off) => {
        for (const r of this.ranges)
          if (r.modinfo && r.start < off && r.end > off + INFO_END.length)
            r.end = off + INFO_END.length;
      });
    each(GO1, (off) => {
      if (this.go1++ < MAX_GO1) this.open(off, off + 48);
    });
  }

  private open(start: number, end: number): Range {
    const r: Range = { start, end, parts: [], filled: 0 };
    // A match that began in the previous chunk takes its first bytes from the kept tail.
    const tailStart = this.pos - this.tail.length;
    if (start < this.pos && start >= tailStart) {
      const b = Buffer.from(
        this.tail.subarray(start - tailStart, Math.min(end, this.pos) - tailStart),
      );
      r.parts.push(b);
      r.filled = b.length;
    }
    if (start < this.pos && start < tailStart) return r; // already gone: stays empty
    this.ranges.push(r);
    return r;
  }

  private fill(r: Range, chunk: Buffer, chunkStart: number): void {
    const from = r.start + r.filled;
    const to = Math.min(r.end, chunkStart + chunk.length);
    if (from < chunkStart || from >= to) return;
    r.parts.push(Buffer.from(chunk.subarray(from - chunkStart, to - chunkStart)));
    r.filled += to - from;
  }

  // An old-format header names string headers further on (the data segment follows it).
  private resolvePointers(): void {
    for (const at of this.headerOffsets) {
      if (this.resolved.has(at)) continue;
      const f = this.sparse();
      const hdr = f.at(at, HEADER_SIZE);
      if (!hdr) continue;
      this.resolved.add(at);
      const ptrSize = hdr[14]!;
      if ((hdr[15]! & 2) !== 0 || (ptrSize !== 4 && ptrSize !== 8)) continue;
      const layout = layoutOf(f);
      if (!layout) continue;
      const be = (hdr[15]! & 1) !== 0;
      for (const o of [16, 16 + ptrSize]) {
        const addr =
          ptrSize === 8
            ? be
              ? hdr.readBigUInt64BE(o)
              : hdr.readBigUInt64LE(o)
            : BigInt(be ? hdr.readUInt32BE(o) : hdr.readUInt32LE(o));
        const off = addrToOffset(layout, addr);
        if (off === undefined) continue;
        if (off >= this.pos) this.open(off, off + 2 * ptrSize);
      }
    }
  }

  private sparse(size?: number): SparseFile {
    const kept = this.ranges
      .filter((r) => r.filled > 0)
      .map((r) => {
        if (r.parts.length > 1) r.parts = [Buffer.concat(r.parts)];
        return { start: r.start, data: r.parts[0]! };
      });
    const find = (o: number, n: number) =>
      kept.find((k) => o >= k.start && o + n <= k.start + k.data.length);
    return {
      at(o, n) {
        const k = find(o, n);
        return k?.data.subarray(o - k.start, o - k.start + n);
      },
      from(o) {
        let best: Buffer | undefined;
        for (const k of kept)
          if (o >= k.start && o < k.start + k.data.length) {
            const b = k.data.subarray(o - k.start);
            if (!best || b.length > best.length) best = b;
          }
        return best;
      },
      headers: () => [...this.headerOffsets],
      size,
    };
  }
}

// Mid-stream the file size is unknown; malformed headers are reported once, at the end.
function layoutOf(f: SparseFile): ExeLayout | undefined {
  try {
    return exeLayout(f);
  } catch {
    return undefined;
  }
}
