/**
 * node_exporter's meminfo collector: one gauge per /proc/meminfo line. `Active(anon)` becomes
 * `Active_anon`; a value with a unit (always kB) is multiplied by 1024 and the name gets
 * `_bytes`; a value without one (HugePages_Total) keeps the bare name.
 * @module
 */
import { join } from 'node:path';
import { gauge } from '../families.ts';
import { readText } from '../read.ts';
import type { Collector } from '../types.ts';

/** /proc/meminfo as node_exporter names it: metric suffix -> value. */
export function parseMeminfo(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of text.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 2 || !parts[0].endsWith(':')) continue;
    let key = parts[0].slice(0, -1).replace(/\((.*)\)/, '_$1');
    let value = Number(parts[1]);
    if (!Number.isFinite(value)) continue;
    if (parts.length === 3) {
      value *= 1024;
      key += '_bytes';
    }
    m.set(key, value);
  }
  return m;
}

/** The meminfo collector. */
export const meminfoCollector: Collector = {
  id: 'meminfo',
  description: 'node_memory_<Field>[_bytes] for every /proc/meminfo line (MemTotal_bytes, MemAvailable_bytes, ...)',
  async collect({ paths }) {
    const out = [];
    for (const [key, value] of parseMeminfo(await readText(join(paths.proc, 'meminfo'))))
      out.push(gauge(`node_memory_${key}`, `Memory information field ${key}.`).add(value));
    return out;
  },
};
