/**
 * Keeps the live sensor running: when the loader crashes or is killed, the failure is reported
 * and a new loader is started after an exponential back-off. Each new loader writes a fresh
 * scap stream whose /proc snapshot (processes, fds) rebuilds what the consumer's state may have
 * missed in between; the consumer (the engine) is the same object across generations, so its
 * state and counters carry over. Drop counters are summed over every generation.
 * @module
 */
import type { Readable } from 'node:stream';
import { startSensor, type Sensor, type SensorOptions, type SensorStats } from './sensor.ts';

/** What happened to one loader generation. */
export interface SensorExit {
  /** Exit code (128 + n is not used: a signal gives `signal`). */
  code: number;
  signal?: string;
  /** Restarts done so far, this one included when `willRestart`. */
  restarts: number;
  willRestart: boolean;
  /** Milliseconds until the next start. */
  delayMs: number;
  /** The consumer's error for this generation's stream (e.g. a block cut short by the kill). */
  streamError?: unknown;
}

/** Options of `SensorSupervisor`: those of `startSensor` (no file: the stream is consumed) plus restart policy. */
export interface SupervisorOptions extends Omit<SensorOptions, 'file' | 'onStats'> {
  /** First back-off delay (default 500 ms), doubled after each quick failure up to `maxDelayMs` (default 30 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A generation that ran at least this long resets the back-off (default 60 s). */
  healthyAfterMs?: number;
  /** Give up after this many restarts (default: never). */
  maxRestarts?: number;
  /** Called with the summed counters of every generation. */
  onStats?: (s: SensorStats) => void;
  /** Called when a generation ends for any reason other than stop(). */
  onExit?: (e: SensorExit) => void;
  /** Starts one loader (default `startSensor`; tests pass their own). */
  start?: (opts: SensorOptions) => Sensor;
}

const NO_RESTART_CODES = new Set([2, 3]); // misuse, or this host cannot load the probe: retrying will not help

/** Runs sensor generations until stopped, feeding each stream to one consumer. */
export class SensorSupervisor {
  /** Loader restarts after a crash or kill (the `vigil_sensor_restarts_total` counter). */
  restarts = 0;
  /** Summed drop counters of every generation. */
  readonly stats: SensorStats = { sent: 0, lost: 0, written: 0, lostPerCpu: [] };
  private base: SensorStats = { sent: 0, lost: 0, written: 0, lostPerCpu: [] };
  private current?: Sensor;
  private stopped = false;
  private wake?: () => void;
  /** Exit code of the last generation. */
  lastExit = 0;

  constructor(private readonly opts: SupervisorOptions = {}) {}

  /** The running loader, if any (tests kill it to check recovery). */
  get sensor(): Sensor | undefined {
    return this.current;
  }

  /**
   * Runs until stop(), a clean end (--duration reached), a non-retryable exit or `maxRestarts`.
   * Resolves with the last exit code (0 when stopped or ended cleanly).
   */
  async run(consume: (stream: Readable, generation: number) => Promise<unknown>): Promise<number> {
    let delay = this.opts.initialDelayMs ?? 500;
    const maxDelay = this.opts.maxDelayMs ?? 30_000;
    const healthy = this.opts.healthyAfterMs ?? 60_000;
    for (let gen = 0; !this.stopped; gen++) {
      const started = Date.now();
      const s = (this.opts.start ?? startSensor)({ ...this.opts, file: undefined, onStats: (st) => this.onGenerationStats(st) });
      this.current = s;
      let streamError: unknown;
      const consumed = s.stream ? consume(s.stream, gen).catch((e: unknown) => { streamError = e; }) : Promise.resolve();
      const code = await s.exited;
      // the stream ends once the loader is gone; a kill may leave a partial block (a stream error)
      await consumed;
      this.closeGeneration();
      const signal = s.child.signalCode ?? undefined;
      this.lastExit = this.stopped ? 0 : signal ? 128 : code;
      if (this.stopped || (code === 0 && !signal)) return 0;
      const retry = !NO_RESTART_CODES.has(code) && this.restarts < (this.opts.maxRestarts ?? Infinity);
      if (Date.now() - started >= healthy) delay = this.opts.initialDelayMs ?? 500;
      if (retry) this.restarts++;
      this.opts.onExit?.({ code, signal, restarts: this.restarts, willRestart: retry, delayMs: retry ? delay : 0, streamError });
      if (!retry) return code;
      await this.sleep(delay);
      delay = Math.min(maxDelay, delay * 2);
    }
    return 0;
  }

  /** Stops the running loader and any pending restart; run() then resolves. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.current?.stop();
  }

  private onGenerationStats(s: SensorStats): void {
    this.stats.sent = this.base.sent + s.sent;
    this.stats.lost = this.base.lost + s.lost;
    this.stats.written = this.base.written + s.written;
    const n = Math.max(this.base.lostPerCpu.length, s.lostPerCpu.length);
    this.stats.lostPerCpu = Array.from({ length: n }, (_, i) => (this.base.lostPerCpu[i] ?? 0) + (s.lostPerCpu[i] ?? 0));
    this.opts.onStats?.({ ...this.stats, lostPerCpu: [...this.stats.lostPerCpu] });
  }

  /** Folds the ended generation's counters into the base the next one adds to. */
  private closeGeneration(): void {
    this.base = { ...this.stats, lostPerCpu: [...this.stats.lostPerCpu] };
    this.current = undefined;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => { clearTimeout(t); resolve(); };
    });
  }
}
