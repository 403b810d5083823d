/**
 * node_exporter's cpu collector: per-CPU time by mode from /proc/stat, in seconds (USER_HZ is
 * 100 on every Linux ABI, as node_exporter assumes). Guest time is also counted in user/nice,
 * so it is a family of its own. Like node_exporter, a mode's counter never goes backwards (the
 * kernel's iowait can); an idle drop of 3 s or more means a CPU was hot-plugged and restarts it.
 * @module
 */
import { join } from 'node:path';
import { counter } from '../families.ts';
import { readText } from '../read.ts';
import type { Collector } from '../types.ts';

const USER_HZ = 100;
const MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
const JUMP_BACK_SECONDS = 3;

/** Per-CPU times of /proc/stat (`cpuN` lines only, as node_exporter), seconds by field. */
export function parseCpuLines(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of text.split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (m) out.set(m[1], m[2].trim().split(/\s+/).map((v) => Number(v) / USER_HZ));
  }
  return out;
}

/** Last values handed out, per /proc root and CPU: counters only move forward. */
const last = new Map<string, number[]>();

/** The cpu collector. */
export const cpuCollector: Collector = {
  id: 'cpu',
  description: 'node_cpu_seconds_total{cpu,mode}, node_cpu_guest_seconds_total{cpu,mode} from /proc/stat',
  async collect({ paths }) {
    const seconds = counter('node_cpu_seconds_total', 'Seconds the CPUs spent in each mode.');
    const guest = counter('node_cpu_guest_seconds_total', 'Seconds the CPUs spent running guests (also counted in user and nice).');
    for (const [cpu, now] of parseCpuLines(await readText(join(paths.proc, 'stat')))) {
      const key = `${paths.proc}\0${cpu}`;
      let prev = last.get(key);
      if (prev && prev[3] - (now[3] ?? 0) >= JUMP_BACK_SECONDS) prev = undefined;
      const kept = now.map((v, i) => Math.max(v, prev?.[i] ?? 0));
      last.set(key, kept);
      MODES.forEach((mode, i) => seconds.add(kept[i] ?? 0, { cpu, mode }));
      if (kept.length > 8) {
        guest.add(kept[8], { cpu, mode: 'user' });
        guest.add(kept[9] ?? 0, { cpu, mode: 'nice' });
      }
    }
    return [seconds, guest];
  },
};
