/**
 * The activity recorder: filters activity records (kinds, sensitive paths for file changes,
 * excluded commands, repeats) and writes the rest to the store in batches. Every exec and
 * connection is kept whether or not a rule fired; file changes only under sensitive paths.
 * @module
 */
import type { Activity, Store } from '../store/index.ts';
import type { ActivityEvent, ActivitySink } from './types.ts';

/** Recorder settings (vigil.yaml `audit:`). */
export interface RecorderOptions {
  kinds?: ActivityEvent['kind'][];
  /** Path prefixes under which file changes are recorded. */
  sensitivePaths?: string[];
  /** Commands (comm) whose activity is not recorded. */
  excludeComms?: string[];
  /** The same process repeating a file op on a path, or reporting the same connection (same ports) again, within this window is kept once. */
  repeatWindowMs?: number;
  /** Flush when this many records wait, or after `flushMs`. */
  batchSize?: number;
  flushMs?: number;
  onError?: (e: Error) => void;
}

/** Falco's `container.id`: the first 12 hex digits of a full id; other ids unchanged. */
export function shortContainerId(id: string): string {
  return /^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id;
}

/** Converts an input record to the stored shape. */
export function toActivity(ev: ActivityEvent): Activity {
  const ns = typeof ev.ts === 'bigint' ? ev.ts : BigInt(typeof ev.ts === 'number' ? Math.round(ev.ts) : ev.ts);
  const a: Activity = { kind: ev.kind, tsNs: ns.toString(), ts: Number(ns / 1_000_000n), pid: ev.pid, comm: ev.comm };
  if (ev.ppid !== undefined) a.ppid = ev.ppid;
  if (ev.exe !== undefined) a.exe = ev.exe;
  if (ev.cmdline !== undefined) a.cmdline = ev.cmdline;
  if (ev.user !== undefined) a.user = ev.user;
  if (ev.uid !== undefined) a.uid = ev.uid;
  if (ev.cwd !== undefined) a.cwd = ev.cwd;
  if (ev.parentChain?.length) a.parentChain = ev.parentChain;
  if (ev.containerId && ev.containerId !== 'host') a.containerId = shortContainerId(ev.containerId);
  if (ev.pod !== undefined) a.pod = ev.pod;
  if (ev.namespace !== undefined) a.namespace = ev.namespace;
  if (ev.kind === 'net' && ev.net) a.detail = { ...ev.net };
  if (ev.kind === 'file' && ev.file) a.detail = { ...ev.file };
  return a;
}

/** Batching, filtering writer of activity records into a store. */
export class ActivityRecorder implements ActivitySink {
  private buf: Activity[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private readonly recent = new Map<string, number>();
  private readonly kinds: Set<string>;
  private readonly sensitive: string[];
  private readonly exclude: Set<string>;
  private readonly o: Required<Pick<RecorderOptions, 'repeatWindowMs' | 'batchSize' | 'flushMs'>>;
  /** Records kept and dropped by filters. */
  readonly counts = { kept: 0, filtered: 0, repeats: 0, failed: 0 };

  constructor(private readonly store: Store, private readonly opts: RecorderOptions = {}) {
    this.kinds = new Set(opts.kinds ?? ['exec', 'net', 'file']);
    this.sensitive = opts.sensitivePaths ?? ['/etc/', '/root/', '/bin/', '/sbin/', '/usr/bin/', '/usr/sbin/', '/lib/', '/usr/lib/', '/boot/', '/var/run/secrets/', '/run/secrets/'];
    this.exclude = new Set(opts.excludeComms ?? []);
    this.o = { repeatWindowMs: opts.repeatWindowMs ?? 5000, batchSize: opts.batchSize ?? 1000, flushMs: opts.flushMs ?? 200 };
  }

  private isSensitive(p: string | undefined): boolean {
    if (!p) return false;
    return this.sensitive.some((s) => (s.endsWith('/') ? p.startsWith(s) || p + '/' === s : p === s || p.startsWith(s + '/')));
  }

  /** Takes one record; returns whether it will be stored. Never throws on odd input. */
  record(ev: ActivityEvent): boolean {
    let a: Activity;
    try {
      if (!this.kinds.has(ev.kind) || this.exclude.has(ev.comm)) return this.skip();
      if (ev.kind === 'file' && !(this.isSensitive(ev.file?.path) || this.isSensitive(ev.file?.target))) return this.skip();
      a = toActivity(ev);
    } catch {
      return this.skip();
    }
    if (ev.kind !== 'exec') {
      const key = ev.kind === 'file'
        ? `f|${ev.pid}|${ev.file!.op}|${ev.file!.path}`
        : `n|${ev.pid}|${ev.net?.direction}|${ev.net?.proto}|${ev.net?.srcIp}|${ev.net?.srcPort}|${ev.net?.dstIp}|${ev.net?.dstPort}|${ev.net?.path}`;
      const last = this.recent.get(key);
      if (last !== undefined && a.ts - last < this.o.repeatWindowMs && a.ts >= last) {
        this.counts.repeats++;
        return false;
      }
      this.recent.set(key, a.ts);
      if (this.recent.size > 100_000) this.recent.clear(); // bounded memory beats perfect de-dup
    }
    this.buf.push(a);
    this.counts.kept++;
    if (this.buf.length >= this.o.batchSize) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.o.flushMs);
    return true;
  }

  private skip(): false {
    this.counts.filtered++;
    return false;
  }

  /** Writes everything buffered so far; resolves when stored. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buf;
    this.buf = [];
    this.flushing = this.flushing.then(async () => {
      if (!batch.length) return;
      try {
        await this.store.addActivity(batch);
      } catch (e) {
        this.counts.failed += batch.length;
        this.opts.onError?.(e as Error);
      }
    });
    return this.flushing;
  }

  /** Flushes and stops the timer. */
  async close(): Promise<void> {
    await this.flush();
  }
}

/** Recorder options from vigil.yaml `audit:` (kinds, sensitive paths, excluded commands). */
export function recorderOptionsFromConfig(a: { kinds: string[]; sensitive_paths: string[]; exclude_comms: string[] }): RecorderOptions {
  return { kinds: a.kinds as ActivityEvent['kind'][], sensitivePaths: a.sensitive_paths, excludeComms: a.exclude_comms };
}
