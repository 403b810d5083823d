/**
 * node_exporter's netdev collector: every /proc/net/dev counter per interface, named
 * node_network_{receive,transmit}_<field>_total with the `device` label.
 * @module
 */
import { join } from 'node:path';
import { counter, type FamilyBuilder } from '../families.ts';
import { readText } from '../read.ts';
import type { Collector, Family } from '../types.ts';

const RECEIVE = ['bytes', 'packets', 'errs', 'drop', 'fifo', 'frame', 'compressed', 'multicast'];
const TRANSMIT = ['bytes', 'packets', 'errs', 'drop', 'fifo', 'colls', 'carrier', 'compressed'];

/** /proc/net/dev rows: interface -> the 16 counters (8 receive, then 8 transmit). */
export function parseNetDev(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    out.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim().split(/\s+/).map(Number));
  }
  return out;
}

/** The node_network_* families of a /proc/net/dev text. */
export function netDevFamilies(text: string): Family[] {
  const fams: FamilyBuilder[] = [
    ...RECEIVE.map((f) => counter(`node_network_receive_${f}_total`, `Network device statistic receive_${f}.`)),
    ...TRANSMIT.map((f) => counter(`node_network_transmit_${f}_total`, `Network device statistic transmit_${f}.`)),
  ];
  for (const [device, values] of parseNetDev(text)) {
    fams.forEach((f, i) => f.add(values[i] ?? 0, { device }));
  }
  return fams;
}

/** The netdev collector. */
export const netdevCollector: Collector = {
  id: 'netdev',
  description: 'node_network_receive_*_total{device}, node_network_transmit_*_total{device} from /proc/net/dev',
  async collect({ paths }) {
    return netDevFamilies(await readText(join(paths.proc, 'net', 'dev')));
  },
};
