/**
 * Container metadata for the live stream. A container's first events can reach the engine
 * before its metadata (image, pod) does; the gate sits between the sensor's scap stream and
 * the engine and, at the first process event (clone family or execve exit) of a container
 * the state does not know yet, holds the stream (bounded time) until the metadata lookup
 * answers, then writes the container into the state table before that event is evaluated.
 * Events stay in order; everything else passes through untouched.
 * @module
 */
import { Transform, type TransformCallback } from 'node:stream';
import { EVENTS, ScapParser, type ScapEvent } from '../scap/index.ts';
import { containerFromCgroups, containerFromMetadata, type ContainerMetadata } from '../state/containers.ts';
import type { SyscallState } from '../state/index.ts';

/** Where container metadata comes from (src/k8s's ContainerMetadataResolver fits this). */
export interface ContainerMetadataSource {
  /** Metadata already at hand, by full or 12-char id. */
  cached(id: string): ContainerMetadata | undefined;
  /** Metadata from the runtime; undefined when unknown. Must not reject. */
  lookup(id: string): Promise<ContainerMetadata | undefined>;
}

/** Options of the gate. */
export interface ContainerGateOptions {
  /** Longest wait for one container's metadata, ms (default 500). */
  holdMs?: number;
  /** After a lookup found nothing, how long the same container is not waited for again, ms (default 10000). */
  retryMs?: number;
}

/** What the gate did. */
export interface ContainerGateStats {
  /** Containers whose first event waited for a lookup. */
  held: number;
  /** Of those, lookups that answered with metadata in time. */
  resolved: number;
  /** Lookups that took longer than holdMs (the event went on without metadata). */
  timedOut: number;
  /** Containers written into the state table. */
  applied: number;
}

const BT_SHB = 0x0a0d0d0a;
/** Event block types and whether they carry a 4-byte flags word before the event header. */
const EVENT_BLOCKS = new Map<number, boolean>([
  [0x204, false], [0x8010abcd, false], [0x216, false], [0x221, false],
  [0x208, true], [0x217, true], [0x222, true],
]);
/** Exit events that name the cgroups of a (new) process, as a lookup table by event type (hot path). */
const PROCESS_EVENTS = new Uint8Array(65536);
for (const e of EVENTS) {
  if (e.dir === '<' && e.index.has('cgroups') && /^(clone|clone3|fork|vfork|execve|execveat)$/.test(e.name)) PROCESS_EVENTS[e.id] = 1;
}
/** The sensor's own event block type (EV_V2), tested first. */
const BT_EV_V2 = 0x216;

/** Writes runtime metadata into the state's container table (replacing a bare cgroup entry). */
export function applyContainerMetadata(state: SyscallState, m: ContainerMetadata): void {
  const info = containerFromMetadata(m);
  state.containers.set(info.id, info);
}

/** The stream transform; pipe the sensor's stdout through it into the engine. */
export class ContainerGate extends Transform {
  readonly stats: ContainerGateStats = { held: 0, resolved: 0, timedOut: 0, applied: 0 };
  private carry: Buffer | undefined;
  private readonly decoder: ScapParser;
  private decoded: ScapEvent | undefined;
  private started = false;
  /** Containers already settled (metadata applied or not available); value: when a retry is allowed. */
  private readonly settled = new Map<string, number>();
  private readonly holdMs: number;
  private readonly retryMs: number;

  constructor(private readonly state: SyscallState, private readonly source: ContainerMetadataSource, opts: ContainerGateOptions = {}) {
    super();
    this.holdMs = opts.holdMs ?? 500;
    this.retryMs = opts.retryMs ?? 10_000;
    this.decoder = new ScapParser({ onEvent: (e) => { this.decoded = e; } });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    this.walk(buf, 0).then(() => cb(), (e: Error) => cb(e));
  }

  override _flush(cb: TransformCallback): void {
    // an incomplete last block goes on: the engine's parser reports the truncation
    if (this.carry) this.push(this.carry);
    this.carry = undefined;
    cb();
  }

  /** Pushes complete blocks, stopping before the first event of each unknown container to resolve it. */
  private async walk(buf: Buffer, from: number): Promise<void> {
    let start = from;
    let p = from;
    while (buf.length - p >= 8) {
      const type = buf.readUInt32LE(p);
      const len = buf.readUInt32LE(p + 4);
      // malformed framing is the engine parser's to report: pass everything on untouched
      if (len < 12) {
        this.push(buf.subarray(start));
        return;
      }
      if (buf.length - p < len) break;
      if (type === BT_SHB && !this.started) {
        this.started = true;
        this.feedDecoder(buf.subarray(p, p + len));
      } else {
        const withFlags = type === BT_EV_V2 ? false : EVENT_BLOCKS.get(type);
        if (withFlags !== undefined) {
          const h = p + 8 + 2 + (withFlags ? 4 : 0);
          if (h + 22 <= p + len && PROCESS_EVENTS[buf[h + 20] | (buf[h + 21] << 8)] === 1) {
            const id = this.unknownContainer(buf.subarray(p, p + len));
            if (id) {
              if (p > start) this.push(buf.subarray(start, p));
              start = p;
              await this.resolve(id);
            }
          }
        }
      }
      p += len;
    }
    if (p > start) this.push(buf.subarray(start, p));
    if (p < buf.length) this.carry = Buffer.from(buf.subarray(p));
  }

  private feedDecoder(block: Buffer): void {
    try {
      this.decoder.push(block);
    } catch {
      // undecodable here: the engine's parser will say why
    }
  }

  /** The container of a process event when the state has no metadata for it yet. */
  private unknownContainer(block: Buffer): { id: string; fullId?: string } | undefined {
    if (!this.started) return undefined;
    this.decoded = undefined;
    this.feedDecoder(block);
    const e = this.decoded as ScapEvent | undefined;
    if (!e) return undefined;
    const cg = e.get('cgroups');
    // NUL-separated subsys=path entries, as the state engine reads them
    const list = Buffer.isBuffer(cg) ? cg.toString('utf8').split('\0').filter(Boolean) : typeof cg === 'string' ? [cg] : undefined;
    if (!list) return undefined;
    const c = containerFromCgroups(list);
    if (c.id === 'host') return undefined;
    const known = this.state.containers.get(c.id);
    if (known?.image !== undefined) return undefined;
    const retry = this.settled.get(c.id);
    if (retry !== undefined && Date.now() < retry) return undefined;
    return c;
  }

  private async resolve(c: { id: string; fullId?: string }): Promise<void> {
    const key = c.fullId ?? c.id;
    const cached = this.source.cached(key);
    if (cached) return this.apply(c.id, cached);
    this.stats.held++;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), this.holdMs); });
    const m = await Promise.race([this.source.lookup(key).catch(() => undefined), timeout]);
    clearTimeout(timer);
    if (m === 'timeout') {
      this.stats.timedOut++;
      // the lookup goes on; when it lands, later events of the container get the metadata
      this.settled.set(c.id, Date.now() + this.retryMs);
      void this.source.lookup(key).then((late) => late && this.apply(c.id, late), () => undefined);
      return;
    }
    if (m) {
      this.stats.resolved++;
      return this.apply(c.id, m);
    }
    this.settled.set(c.id, Date.now() + this.retryMs);
  }

  private apply(id: string, m: ContainerMetadata): void {
    applyContainerMetadata(this.state, m);
    this.settled.set(id, Number.POSITIVE_INFINITY);
    this.stats.applied++;
  }
}
