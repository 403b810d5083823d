/**
 * node_exporter's stat collector: boot time, context switches, forks, interrupts and the
 * running/blocked process counts of /proc/stat.
 * @module
 */
import { join } from 'node:path';
import { counter, gauge } from '../families.ts';
import { readText } from '../read.ts';
import type { Collector } from '../types.ts';

/** The first number after each keyword line of /proc/stat (btime, ctxt, processes, intr, ...). */
export function parseStatKeys(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [k, v] = line.split(/\s+/);
    if (k && !k.startsWith('cpu') && v !== undefined) m.set(k, Number(v));
  }
  return m;
}

/** The stat collector. */
export const statCollector: Collector = {
  id: 'stat',
  description: 'node_boot_time_seconds, node_context_switches_total, node_forks_total, node_intr_total, node_procs_running, node_procs_blocked',
  async collect({ paths }) {
    const k = parseStatKeys(await readText(join(paths.proc, 'stat')));
    const one = <T extends ReturnType<typeof gauge>>(f: T, key: string) => (k.has(key) ? f.add(k.get(key)!) : f);
    return [
      one(gauge('node_boot_time_seconds', 'Boot time, in unix seconds.'), 'btime'),
      one(counter('node_context_switches_total', 'Context switches since boot.'), 'ctxt'),
      one(counter('node_forks_total', 'Forks since boot.'), 'processes'),
      one(counter('node_intr_total', 'Interrupts serviced since boot.'), 'intr'),
      one(gauge('node_procs_blocked', 'Processes blocked waiting for I/O.'), 'procs_blocked'),
      one(gauge('node_procs_running', 'Processes in runnable state.'), 'procs_running'),
    ];
  },
};
