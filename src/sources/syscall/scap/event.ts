/**
 * One decoded scap event: header fields plus lazily decoded parameters (most events are
 * only filtered by type, so values are decoded on first use and cached).
 * @module
 */
import type { EventInfo } from './event-info.ts';
import { decodeInt, decodeParam, INT_PARAM, type ParamValue } from './params.ts';
import { syscallName } from './syscall-names.ts';

/** A syscall/meta event as read from a capture or stream. */
export class ScapEvent {
  /** 1-based event number in the stream (evt.num). */
  num: number;
  /** Timestamp, ns since the epoch. */
  ts: bigint;
  tid: number;
  cpu: number;
  /** EVF block flags (0 otherwise). */
  flags: number;
  info: EventInfo;
  /** Byte offset of the event's block in the (decompressed) stream. */
  offset: number;
  /** Parameter bytes; param i spans [starts[i], starts[i+1]) in `data`. */
  data: Buffer;
  /** A view of `data` (shared by the events of one input chunk) for integer reads. */
  view: DataView;
  starts: number[];
  /**
   * The matching enter event (old captures put parameters there): parameters this event lacks
   * are read from it, decoded only when asked for.
   */
  enter?: ScapEvent;
  /** Timestamp of the matching enter event, when the capture has one (evt.latency). */
  enterTs?: bigint;
  /** Name of a generic event resolved by the state (exits that lost their enter event). */
  typeOverride?: string;
  private cache?: (ParamValue | typeof UNSET)[];

  constructor(num: number, ts: bigint, tid: number, cpu: number, flags: number, info: EventInfo, offset: number, data: Buffer, starts: number[], view?: DataView) {
    this.num = num;
    this.ts = ts;
    this.tid = tid;
    this.cpu = cpu;
    this.flags = flags;
    this.info = info;
    this.offset = offset;
    this.data = data;
    this.view = view ?? new DataView(data.buffer, data.byteOffset, data.length);
    this.starts = starts;
  }

  /** Number of parameters present in this event. */
  get nparams(): number {
    return this.starts.length - 1;
  }

  /** The raw bytes of parameter i. */
  raw(i: number): Buffer {
    return this.data.subarray(this.starts[i], this.starts[i + 1]);
  }

  /** Decoded parameter i, or undefined when absent. */
  param(i: number): ParamValue | undefined {
    if (i < 0 || i >= this.starts.length - 1) return undefined;
    const p = this.info.params[i];
    // integers are decoded on every call: no cache array for the common event that only has integers asked of it
    if (p && INT_PARAM[p.type] !== 0) return decodeInt(p.type, this.view, this.data, this.starts[i]!, this.starts[i + 1]!);
    const c = (this.cache ??= new Array<ParamValue | typeof UNSET>(this.starts.length - 1).fill(UNSET));
    const v = c[i];
    if (v !== UNSET) return v;
    const d = p ? decodeParam(p.type, this.data, this.starts[i], this.starts[i + 1]) : this.raw(i);
    c[i] = d;
    return d;
  }

  /** Decoded parameter by name (falling back to the matching enter event's). */
  get(name: string): ParamValue | undefined {
    const i = this.info.index.get(name);
    if (i !== undefined && i < this.starts.length - 1) return this.param(i);
    return this.enter?.ownParam(name);
  }

  /** The named parameter of the enter event when this event lacks it (undefined otherwise). */
  fromEnter(name: string): ParamValue | undefined {
    const i = this.info.index.get(name);
    return i !== undefined && i < this.starts.length - 1 ? undefined : this.enter?.ownParam(name);
  }

  /** True when the event carries the named parameter (itself or through its enter event). */
  has(name: string): boolean {
    const i = this.info.index.get(name);
    return (i !== undefined && i < this.starts.length - 1) || (this.enter?.ownParam(name) !== undefined);
  }

  /** Decoded parameter by name, of this event only. */
  ownParam(name: string): ParamValue | undefined {
    const i = this.info.index.get(name);
    return i !== undefined && i < this.starts.length - 1 ? this.param(i) : undefined;
  }

  /** evt.type; generic events are named by their native syscall number, as libsinsp does. */
  get type(): string {
    if (this.info.name !== 'syscall') return this.info.name;
    if (this.typeOverride) return this.typeOverride;
    const nr = this.get('nativeID');
    return (typeof nr === 'number' ? syscallName(nr) : undefined) ?? 'syscall';
  }

  /** evt.dir: `>` enter, `<` exit. */
  get dir(): '>' | '<' {
    return this.info.dir;
  }
}

const UNSET = Symbol('unset');
