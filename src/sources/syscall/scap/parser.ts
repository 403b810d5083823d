/**
 * A push parser for the scap block stream: feed it decompressed bytes in any chunking and it
 * calls its handlers per block and per event, holding at most one incomplete block. Errors
 * are VigilErrors with the byte offset of the offending block; every event before it has
 * already been delivered.
 * @module
 */
import { VigilError, warning, type Diagnostic } from '../../../core/index.ts';
import { EVENTS, PPM_EVENT_MAX } from './event-info.ts';
import {
  BT, BlockError, parseFdlist, parseMachineInfo, parseProclist, parseUserlist, proclistVersion,
  type FdEntry, type MachineInfo, type ProcEntry, type UserEntry,
} from './blocks.ts';
import { ScapEvent } from './event.ts';

/** Section header facts. */
export interface SectionHeader {
  major: number;
  minor: number;
}

/** Callbacks of the parser; all optional except onEvent. */
export interface ScapHandlers {
  onSection?(h: SectionHeader): void;
  onMachineInfo?(m: MachineInfo): void;
  onProcess?(p: ProcEntry): void;
  onFds?(tid: number, fds: FdEntry[]): void;
  onUser?(u: UserEntry): void;
  onEvent(e: ScapEvent): void;
  onWarning?(d: Diagnostic): void;
}

/** Parser options. */
export interface ScapParserOptions {
  /** Name used in diagnostics. */
  file?: string;
  /** Largest block accepted (bytes); bigger ones are corrupt input. Default 256 MiB. */
  maxBlockBytes?: number;
}

/** Meta-events that only carry state (users and groups): libsinsp gives them no event number. */
const STATE_ONLY = new Set(['useradded', 'userdeleted', 'groupadded', 'groupdeleted']);
const STATE_ONLY_BY_ID = EVENTS.map((x) => STATE_ONLY.has(x.name));

const NOTIFICATION_E = EVENTS.findIndex((e) => e.enumName === 'PPME_NOTIFICATION_E');
const INFRASTRUCTURE_E = EVENTS.findIndex((e) => e.enumName === 'PPME_INFRASTRUCTURE_EVENT_E');

/** The incremental scap block parser. */
export class ScapParser {
  /** Bytes of the incomplete block, in arrival order. */
  private parts: Buffer[] = [];
  private pendingLen = 0;
  /** Bytes needed before parsing can progress. */
  private need = 8;
  /** Stream offset of pending[0]. */
  private base = 0;
  private started = false;
  private evnum = 0;
  private delivered = 0;
  private readonly maxBlock: number;
  private readonly file?: string;
  private warnedTypes = new Set<number>();
  /** A view of the buffer being parsed. */
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  constructor(private readonly h: ScapHandlers, opts: ScapParserOptions = {}) {
    this.maxBlock = opts.maxBlockBytes ?? 256 * 1024 * 1024;
    this.file = opts.file;
  }

  /** Events delivered so far (numbered or not). */
  get eventCount(): number {
    return this.delivered;
  }

  /** Bytes consumed so far (complete blocks). */
  get offset(): number {
    return this.base;
  }

  /** Feeds bytes; throws a VigilError on corrupt input. */
  push(chunk: Buffer): void {
    // small pushes into a big block are only collected until the block is complete (no quadratic copying)
    if (this.pendingLen + chunk.length < this.need) {
      this.parts.push(chunk);
      this.pendingLen += chunk.length;
      return;
    }
    const buf = this.pendingLen ? Buffer.concat([...this.parts, chunk]) : chunk;
    // event headers are read through a DataView: its 64-bit read is several times faster than Buffer's
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    this.parts = [];
    this.need = 8;
    let p = 0;
    while (buf.length - p >= 8) {
      const type = buf.readUInt32LE(p);
      const len = buf.readUInt32LE(p + 4);
      const at = this.base + p;
      if (!this.started) {
        if (type !== BT.SHB) throw this.err('SCAP_BAD_MAGIC', `not a scap capture: first block type 0x${type.toString(16)}`, at);
      }
      if (len < 12 || len > this.maxBlock) throw this.err('SCAP_BAD_BLOCK', `invalid block length ${len} (type 0x${type.toString(16)})`, at);
      if (buf.length - p < len) {
        this.need = len;
        break;
      }
      const trailer = buf.readUInt32LE(p + len - 4);
      if (trailer !== len) throw this.err('SCAP_BAD_BLOCK', `block trailer ${trailer} does not match length ${len}`, at);
      this.block(buf, p, type, len, at);
      p += len;
    }
    if (p < buf.length) this.parts.push(Buffer.from(buf.subarray(p)));
    this.pendingLen = buf.length - p;
    this.base += p;
  }

  /** Signals the end of input; throws SCAP_TRUNCATED when a partial block remains. */
  end(): void {
    if (this.pendingLen > 0) {
      throw this.err('SCAP_TRUNCATED', `capture truncated: ${this.pendingLen} bytes of an incomplete block`, this.base);
    }
    if (!this.started) throw this.err('SCAP_TRUNCATED', 'empty input: no section header block', this.base);
  }

  private err(code: string, message: string, offset: number): VigilError {
    return new VigilError(code, message, { file: this.file, offset });
  }

  private block(b: Buffer, p: number, type: number, len: number, at: number): void {
    const s = p + 8;
    const e = p + len - 4;
    try {
      switch (type) {
        case BT.SHB: return this.section(b, s, e, at);
        case BT.EV: case BT.EV_INT: return this.event(b, s, e, at, false, false, false);
        case BT.EVF: return this.event(b, s, e, at, true, false, false);
        case BT.EV_V2: return this.event(b, s, e, at, false, true, false);
        case BT.EVF_V2: return this.event(b, s, e, at, true, true, false);
        case BT.EV_V2_LARGE: return this.event(b, s, e, at, false, true, true);
        case BT.EVF_V2_LARGE: return this.event(b, s, e, at, true, true, true);
        case BT.MI: case BT.MI_INT: this.h.onMachineInfo?.(parseMachineInfo(b, s, e)); return;
        case BT.FDL: case BT.FDL_INT: case BT.FDL_V2: {
          if (!this.h.onFds) return;
          const r = parseFdlist(b, s, e, type === BT.FDL_V2);
          this.h.onFds(r.tid, r.fds);
          return;
        }
        case BT.UL: case BT.UL_INT: case BT.UL_V2:
          if (this.h.onUser) parseUserlist(b, s, e, type === BT.UL_V2, this.h.onUser);
          return;
        case BT.IL: case BT.IL_INT: case BT.IL_V2:
          return; // interface lists only feed sysdig's local-address heuristics
        default: {
          const v = proclistVersion(type);
          if (v) {
            if (this.h.onProcess) parseProclist(b, s, e, v, this.h.onProcess);
            return;
          }
          this.h.onWarning?.(warning('SCAP_UNKNOWN_BLOCK', `skipped unknown block type 0x${type.toString(16)} (${len} bytes)`, { file: this.file, offset: at }));
        }
      }
    } catch (x) {
      if (x instanceof BlockError) throw this.err('SCAP_BAD_BLOCK', `block 0x${type.toString(16)}: ${x.message}`, at + (x.at - p));
      throw x;
    }
  }

  private section(b: Buffer, s: number, e: number, at: number): void {
    if (e - s < 16) throw this.err('SCAP_BAD_BLOCK', 'section header too short', at);
    const magic = b.readUInt32LE(s);
    if (magic !== 0x1a2b3c4d) throw this.err('SCAP_BAD_MAGIC', `invalid byte-order magic 0x${magic.toString(16)}`, at);
    const major = b.readUInt16LE(s + 4);
    const minor = b.readUInt16LE(s + 6);
    if (major > 1) throw this.err('SCAP_VERSION', `unsupported capture version ${major}.${minor}`, at);
    this.started = true;
    this.h.onSection?.({ major, minor });
  }

  private event(b: Buffer, s: number, e: number, at: number, withFlags: boolean, v2: boolean, large: boolean): void {
    let p = s;
    const hdr = v2 ? 26 : 22;
    if (e - p < 2 + (withFlags ? 4 : 0) + hdr) throw this.err('SCAP_BAD_EVENT', 'event block too short', at);
    const cpu = this.view.getUint16(p, true);
    p += 2;
    let flags = 0;
    if (withFlags) {
      flags = this.view.getUint32(p, true);
      p += 4;
    }
    const evStart = p;
    const v = this.view;
    const ts = v.getBigUint64(p, true);
    const tidHi = v.getInt32(p + 12, true);
    const tidLo = v.getUint32(p + 8, true);
    const tid = tidHi === -1 && tidLo === 0xffffffff ? -1 : tidHi * 4294967296 + tidLo;
    let evlen = v.getUint32(p + 16, true);
    const type = v.getUint16(p + 20, true);
    if (type >= PPM_EVENT_MAX) {
      if (!this.warnedTypes.has(type)) {
        this.warnedTypes.add(type);
        this.h.onWarning?.(warning('SCAP_UNKNOWN_EVENT', `skipped events of unknown type ${type}`, { file: this.file, offset: at }));
      }
      return;
    }
    const info = EVENTS[type];
    const lensz = large || (v2 && info.large) ? 4 : 2;
    let nparams: number;
    if (v2) {
      nparams = v.getUint32(p + 22, true);
      if (evlen > e - evStart || nparams > 1024) throw this.err('SCAP_BAD_EVENT', `event length ${evlen} / ${nparams} params exceed the block`, at);
    } else {
      if (type === NOTIFICATION_E || type === INFRASTRUCTURE_E) evlen -= 3;
      if (evlen > e - evStart) throw this.err('SCAP_BAD_EVENT', `event length ${evlen} exceeds the block`, at);
      nparams = this.inferParams(evStart, evlen, info.params.length);
      if (nparams < 0) throw this.err('SCAP_BAD_EVENT', `cannot infer parameter count of ${info.enumName} (len ${evlen})`, at);
    }
    const lensAt = evStart + hdr;
    const end = evStart + evlen;
    let q = lensAt + nparams * lensz;
    if (q > end) throw this.err('SCAP_BAD_EVENT', `parameter lengths overrun the event`, at);
    const starts = new Array<number>(nparams + 1);
    for (let i = 0; i < nparams; i++) {
      starts[i] = q;
      q += lensz === 2 ? v.getUint16(lensAt + 2 * i, true) : v.getUint32(lensAt + 4 * i, true);
    }
    if (q > end) throw this.err('SCAP_BAD_EVENT', `parameters of ${info.enumName} overrun the event`, at);
    starts[nparams] = q;
    // user/group meta-events only carry state: like libsinsp, they get no event number
    const num = STATE_ONLY_BY_ID[type] ? 0 : ++this.evnum;
    this.delivered++;
    this.h.onEvent(new ScapEvent(num, ts, tid, cpu, flags, info, at, b, starts, v));
  }

  /** Old 22-byte headers omit nparams: find n with 22 + 2n + Σlens == len, trying the table's count downward. */
  private inferParams(evStart: number, evlen: number, max: number): number {
    const end = evStart + evlen;
    const lensAt = evStart + 22;
    const view = this.view;
    for (let n = max; n >= 0; n--) {
      let v = lensAt + 2 * n;
      if (v > end) continue;
      for (let i = 0; i < n; i++) v += view.getUint16(lensAt + 2 * i, true);
      if (v === end) return n;
      if (v < end) return -1;
    }
    return -1;
  }
}
