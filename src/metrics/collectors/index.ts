/**
 * The explicit, sorted index of host collectors (node_exporter's names), and the collector
 * set a scrape runs. Adding a collector touches its file, its test, its README line and one
 * line here.
 * @module
 */
import { containerCollector, type ContainerFactsSource } from '../cgroup/collector.ts';
import type { Collector } from '../types.ts';
import { cpuCollector } from './cpu.ts';
import { diskstatsCollector } from './diskstats.ts';
import { filesystemCollector, type StatFsLike } from './filesystem.ts';
import { loadavgCollector } from './loadavg.ts';
import { meminfoCollector } from './meminfo.ts';
import { netdevCollector } from './netdev.ts';
import { pressureCollector } from './pressure.ts';
import { statCollector } from './stat.ts';
import { unameCollector } from './uname.ts';
import { vigilCollector, type DetectionStats } from './vigil.ts';

/** Options of the collector set. */
export interface CollectorOptions {
  /** Container facts (image, pod) for the container collector. */
  containers?: ContainerFactsSource;
  /** Vigil's detection counters (only `vigil up` has them). */
  detection?: DetectionStats;
  /** statfs replacement for fixture trees. */
  statfs?: (path: string) => Promise<StatFsLike>;
}

/** Every collector, sorted by id. */
export function collectors(o: CollectorOptions = {}): Collector[] {
  return [
    containerCollector(o.containers),
    cpuCollector,
    diskstatsCollector,
    filesystemCollector(o.statfs),
    loadavgCollector,
    meminfoCollector,
    netdevCollector,
    pressureCollector,
    statCollector,
    unameCollector,
    ...(o.detection ? [vigilCollector(o.detection)] : []),
  ];
}
