/**
 * node_exporter's loadavg collector: the 1, 5 and 15 minute load averages of /proc/loadavg.
 * @module
 */
import { join } from 'node:path';
import { gauge } from '../families.ts';
import { readText } from '../read.ts';
import type { Collector } from '../types.ts';

/** The loadavg collector. */
export const loadavgCollector: Collector = {
  id: 'loadavg',
  description: 'node_load1, node_load5, node_load15 from /proc/loadavg',
  async collect({ paths }) {
    const [l1, l5, l15] = (await readText(join(paths.proc, 'loadavg'))).trim().split(/\s+/).map(Number);
    return [
      gauge('node_load1', '1m load average.').add(l1),
      gauge('node_load15', '15m load average.').add(l15),
      gauge('node_load5', '5m load average.').add(l5),
    ];
  },
};
