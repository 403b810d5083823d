/**
 * Falco's syscall event drop alert for the live sensor: when the ring buffer loses events,
 * an alert of source `internal` is raised, rate limited by a token bucket (Falco's defaults:
 * rate 1/30 s, burst 1).
 * @module
 */
import { hostname } from 'node:os';
import type { Alert } from '../../../core/index.ts';
import type { SensorStats } from './sensor.ts';

/** Watches stats lines and yields drop alerts at most at the configured rate. */
export class DropMonitor {
  private tokens: number;
  private lastRefill: number;
  private lastLost = 0;
  private lastSent = 0;

  constructor(private readonly rate = 1 / 30, private readonly maxBurst = 1, private readonly now: () => number = Date.now) {
    this.tokens = maxBurst;
    this.lastRefill = now();
  }

  /** Returns an alert when new events were lost and the bucket allows one. */
  observe(s: SensorStats): Alert | undefined {
    const lost = s.lost - this.lastLost;
    const sent = s.sent - this.lastSent;
    this.lastLost = s.lost;
    this.lastSent = s.sent;
    if (lost <= 0) return undefined;
    const t = this.now();
    this.tokens = Math.min(this.maxBurst, this.tokens + ((t - this.lastRefill) / 1000) * this.rate);
    this.lastRefill = t;
    if (this.tokens < 1) return undefined;
    this.tokens -= 1;
    const ns = BigInt(t) * 1_000_000n;
    const iso = new Date(t).toISOString().replace('Z', '000000Z').replace(/\.(\d{3})000000Z$/, '.$1000000Z');
    const pct = (100 * lost) / Math.max(1, lost + sent);
    const text = `Falco internal: syscall event drop. ${lost} system calls dropped in last second.`;
    return {
      hostname: process.env.FALCO_HOSTNAME ?? hostname(),
      output: `${iso.slice(11, 29)}: Critical ${text}`,
      output_fields: {
        'evt.time': Number(ns),
        'n_drops': s.lost,
        'n_drops_buffer_total': lost,
        'n_evts': s.sent + s.lost,
        'ebpf_enabled': 1,
        'n_drops_pct': Math.round(pct * 100) / 100,
      },
      priority: 'Critical',
      rule: 'Falco internal: syscall event drop',
      source: 'internal',
      tags: [],
      time: iso,
    };
  }
}
