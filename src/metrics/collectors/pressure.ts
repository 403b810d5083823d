/**
 * node_exporter's pressure collector: the cumulative stall totals of /proc/pressure/* (PSI),
 * microseconds turned into seconds. `some` is "waiting", `full` is "stalled".
 * @module
 */
import { join } from 'node:path';
import { counter } from '../families.ts';
import { tryText } from '../read.ts';
import type { Collector, Family } from '../types.ts';

/** `some`/`full` -> total microseconds of one PSI file. */
export function parsePressure(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of text.split('\n')) {
    const t = /^(some|full)\s.*\btotal=(\d+)/.exec(line);
    if (t) m.set(t[1], Number(t[2]));
  }
  return m;
}

const RESOURCES: [string, string][] = [['cpu', 'CPU'], ['io', 'I/O'], ['irq', 'IRQ'], ['memory', 'memory']];

/** The pressure collector (absent without PSI: no families). */
export const pressureCollector: Collector = {
  id: 'pressure',
  description: 'node_pressure_{cpu,io,memory}_waiting_seconds_total, node_pressure_{cpu,io,irq,memory}_stalled_seconds_total from /proc/pressure',
  async collect({ paths }) {
    const out: Family[] = [];
    for (const [res, what] of RESOURCES) {
      const text = await tryText(join(paths.proc, 'pressure', res));
      if (text === undefined) continue;
      const p = parsePressure(text);
      // irq has only a full line; cpu's full line is all zeros before Linux 5.13 but present
      if (p.has('some') && res !== 'irq') out.push(counter(`node_pressure_${res}_waiting_seconds_total`, `Seconds some tasks waited for ${what}.`).add(p.get('some')! / 1e6));
      if (p.has('full')) out.push(counter(`node_pressure_${res}_stalled_seconds_total`, `Seconds all non-idle tasks stalled on ${what}.`).add(p.get('full')! / 1e6));
    }
    return out;
  },
};
