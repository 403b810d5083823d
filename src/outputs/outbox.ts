/**
 * The durable outbox between the engine and the channels. `submit` stores the alert and one
 * pending delivery per channel in one transaction (group-committed with whatever else arrived
 * in the same tick) before anything is sent; each channel then drains its own queue in
 * batches. A failing channel backs off on its own (exponential, capped, with jitter) without
 * slowing the others; acknowledged rows are deleted, so a crash at any point leaves exactly
 * the unacknowledged deliveries, which `start()` sends on the next run. Delivery is therefore
 * at-least-once; receivers de-duplicate by the alert id.
 * @module
 */
import { VigilError, type Alert } from '../core/index.ts';
import { alertTimeMs, newId, type Delivery, type Store, type StoredAlert } from '../store/index.ts';
import { DeliveryError, type Channel } from './types.ts';

/** Outbox tuning. */
export interface OutboxOptions {
  /** Deliveries fetched per round per channel. Default 256. */
  batchSize?: number;
  /** First retry delay after a failure, ms. Default 500. */
  retryBaseMs?: number;
  /** Longest retry delay, ms. Default 30 000. */
  retryMaxMs?: number;
  /** Attempts before an alert a channel refuses permanently is dropped. Default 10. */
  maxPermanentAttempts?: number;
  /**
   * Falco's `outputs_queue.capacity`: alerts waiting to be stored at most; 0 = unbounded. When
   * full, a new alert is dropped and counted (Falco's outputs-queue drop), `submit` rejects
   * with `OUTPUT_QUEUE_FULL`.
   */
  queueCapacity?: number;
  /** Called for problems worth a log line (channel down, alert dropped). */
  onEvent?: (e: OutboxEvent) => void;
}

/** Something the outbox reports. */
export interface OutboxEvent {
  type: 'channel-failed' | 'channel-recovered' | 'alert-dropped' | 'store-failed' | 'queue-full';
  channel?: string;
  alertId?: string;
  message: string;
}

/** Per-channel counters. */
export interface ChannelStats {
  delivered: number;
  failures: number;
  dropped: number;
  consecutiveFailures: number;
}

interface Pending {
  item: StoredAlert;
  resolve: (id: string) => void;
  reject: (e: unknown) => void;
}

interface Lane {
  channel: Channel;
  stats: ChannelStats;
  pausedUntil: number;
  /** Set when new work arrived; a pump about to sleep checks it so no wake-up is lost. */
  kicked: boolean;
  wake?: () => void;
  done?: Promise<void>;
}

/** The durable, retrying dispatcher from alerts to channels. */
export class Outbox {
  private readonly lanes: Lane[];
  private queue: Pending[] = [];
  private committing?: Promise<void>;
  private running = false;
  /** Alerts dropped because the queue was at `queueCapacity` (Falco: outputs queue drops). */
  queueDrops = 0;
  private readonly o: Required<Omit<OutboxOptions, 'onEvent'>> & Pick<OutboxOptions, 'onEvent'>;

  constructor(private readonly store: Store, channels: Channel[], opts: OutboxOptions = {}) {
    const names = new Set<string>();
    for (const c of channels) {
      if (names.has(c.name)) throw new Error(`duplicate channel name ${c.name}`);
      names.add(c.name);
    }
    this.lanes = channels.map((channel) => ({
      channel, pausedUntil: 0, kicked: false, stats: { delivered: 0, failures: 0, dropped: 0, consecutiveFailures: 0 },
    }));
    this.o = { batchSize: 256, retryBaseMs: 500, retryMaxMs: 30_000, maxPermanentAttempts: 10, queueCapacity: 0, ...opts };
  }

  /** Starts the channel pumps; anything left pending by an earlier run is delivered first. */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (const lane of this.lanes) lane.done = this.pump(lane);
  }

  /** Stores the alert durably and queues it for every channel; resolves with its id once committed. */
  submit(alert: Alert): Promise<string> {
    const ts = alertTimeMs(alert.time);
    const item: StoredAlert = { id: newId(), ts: Number.isFinite(ts) ? ts : Date.now(), alert };
    const cap = this.o.queueCapacity;
    if (cap > 0 && this.queue.length >= cap) {
      // like Falco: a full queue drops the new alert, counts it and says so (once per burst)
      if (this.queueDrops++ === 0 || this.queueDrops % 1000 === 0) {
        this.o.onEvent?.({ type: 'queue-full', alertId: item.id, message: `outputs queue full (capacity ${cap}): ${this.queueDrops} alert(s) dropped` });
      }
      return Promise.reject(new VigilError('OUTPUT_QUEUE_FULL', `outputs queue full (capacity ${cap}); alert dropped`, { jsonPath: '$.outputs_queue.capacity' }));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.committing) this.committing = this.commitLoop();
    });
  }

  /** Counters per channel name. */
  stats(): Record<string, ChannelStats> {
    return Object.fromEntries(this.lanes.map((l) => [l.channel.name, { ...l.stats }]));
  }

  /** Resolves once nothing is pending for any channel (or rejects after `timeoutMs`). */
  async drain(timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (this.committing) await this.committing;
      if ((await this.store.pendingCount()) === 0 && this.queue.length === 0) return;
      if (Date.now() > until) throw new Error('outbox drain timed out');
      await sleep(20);
    }
  }

  /** Stops the pumps after their current round and closes the channels. Pending rows stay stored. */
  async stop(): Promise<void> {
    if (this.committing) await this.committing;
    this.running = false;
    for (const l of this.lanes) l.wake?.();
    await Promise.all(this.lanes.map((l) => l.done));
    await Promise.all(this.lanes.map((l) => l.channel.close().catch(() => {})));
  }

  // group commit: one transaction for every alert submitted while the previous one ran
  private async commitLoop(): Promise<void> {
    await Promise.resolve();
    while (this.queue.length) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.store.addAlerts(batch.map((p) => p.item), this.lanes.map((l) => l.channel.name));
        for (const p of batch) p.resolve(p.item.id);
      } catch (e) {
        this.o.onEvent?.({ type: 'store-failed', message: (e as Error).message });
        for (const p of batch) p.reject(e);
      }
      for (const l of this.lanes) {
        l.kicked = true;
        l.wake?.();
      }
    }
    this.committing = undefined;
  }

  private backoff(failures: number): number {
    const base = Math.min(this.o.retryMaxMs, this.o.retryBaseMs * 2 ** Math.min(failures - 1, 30));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private async wait(lane: Lane, ms: number): Promise<void> {
    if (lane.kicked || !this.running) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(t);
        lane.wake = undefined;
        resolve();
      }
      lane.wake = done;
    });
  }

  // A continuous pipeline per channel: keep `concurrency` sends in flight, refill from the
  // database before the local buffer runs dry, and acknowledge in groups.
  private async pump(lane: Lane): Promise<void> {
    const name = lane.channel.name;
    const conc = Math.max(1, lane.channel.concurrency);
    const busy = new Set<string>(); // buffered, in flight, or acknowledged but not yet recorded
    let buffer: Delivery[] = [];
    let inflight = 0;
    let ok: string[] = [];
    let transient: string[] = [];
    let permanent: Delivery[] = [];
    let lastError = '';
    let settled: (() => void) | undefined;
    const flush = async (): Promise<void> => {
      const [a, t, p] = [ok, transient, permanent];
      ok = [];
      transient = [];
      permanent = [];
      await this.settle(lane, a, t, p, lastError);
      for (const id of a) busy.delete(id);
      for (const id of t) busy.delete(id);
      for (const d of p) busy.delete(d.alertId);
    };
    const start = (d: Delivery): void => {
      inflight++;
      lane.channel.send(d.alert, d.alertId).then(
        () => ok.push(d.alertId),
        (e: unknown) => {
          lastError = (e as Error).message;
          if (e instanceof DeliveryError && e.permanent) permanent.push(d);
          else transient.push(d.alertId);
        },
      ).finally(() => {
        inflight--;
        settled?.();
      });
    };
    while (this.running || inflight > 0) {
      if (transient.length && inflight === 0) {
        // the target is likely down: give back what was buffered and back off
        for (const d of buffer) busy.delete(d.alertId);
        buffer = [];
      }
      if (inflight === 0 && (ok.length || transient.length || permanent.length)) await flush();
      else if (ok.length >= 128) await flush();
      if (!this.running) {
        if (inflight === 0) break;
        await new Promise<void>((r) => (settled = r));
        settled = undefined;
        continue;
      }
      const now = Date.now();
      if (inflight === 0 && lane.pausedUntil > now) {
        lane.kicked = false; // new alerts do not end a back-off
        await this.wait(lane, lane.pausedUntil - now);
        continue;
      }
      if (!transient.length && buffer.length < this.o.batchSize / 2) {
        lane.kicked = false;
        try {
          const more = await this.store.dueDeliveries(name, now, this.o.batchSize, busy);
          for (const d of more) busy.add(d.alertId);
          buffer.push(...more);
        } catch (e) {
          this.o.onEvent?.({ type: 'store-failed', channel: name, message: (e as Error).message });
          if (inflight === 0) await this.wait(lane, this.o.retryBaseMs);
        }
      }
      while (!transient.length && inflight < conc && buffer.length) start(buffer.shift()!);
      if (inflight > 0) {
        await new Promise<void>((r) => (settled = r));
        settled = undefined;
      } else if (buffer.length === 0) {
        const next = await this.store.nextDueAt(name).catch(() => undefined);
        await this.wait(lane, next === undefined ? 60_000 : next - Date.now());
      }
    }
    if (ok.length || transient.length || permanent.length) await flush();
  }

  private async settle(lane: Lane, ok: string[], transient: string[], permanent: Delivery[], err: string): Promise<void> {
    const name = lane.channel.name;
    const s = lane.stats;
    try {
      await this.store.ackDeliveries(name, ok);
      s.delivered += ok.length;
      if (transient.length) {
        s.failures += transient.length;
        s.consecutiveFailures++;
        const delay = this.backoff(s.consecutiveFailures);
        lane.pausedUntil = Date.now() + delay;
        await this.store.retryDeliveries(name, transient, lane.pausedUntil, err);
        if (s.consecutiveFailures === 1) this.o.onEvent?.({ type: 'channel-failed', channel: name, message: err });
      } else if (ok.length && s.consecutiveFailures) {
        s.consecutiveFailures = 0;
        this.o.onEvent?.({ type: 'channel-recovered', channel: name, message: 'delivering again' });
      }
      for (const d of permanent) {
        s.failures++;
        if (d.attempts + 1 >= this.o.maxPermanentAttempts) {
          await this.store.ackDeliveries(name, [d.alertId]);
          s.dropped++;
          this.o.onEvent?.({ type: 'alert-dropped', channel: name, alertId: d.alertId, message: d.lastError ?? err });
        } else {
          await this.store.retryDeliveries(name, [d.alertId], Date.now() + this.backoff(d.attempts + 1), err);
        }
      }
    } catch (e) {
      // unrecorded outcomes stay pending and are sent again: at-least-once, never lost
      this.o.onEvent?.({ type: 'store-failed', channel: name, message: (e as Error).message });
      lane.pausedUntil = Date.now() + this.o.retryBaseMs;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
