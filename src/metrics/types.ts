/**
 * The shapes the metrics room works with: a metric family (prom-client's metric object, so
 * its serializer renders it unchanged), a collector definition, and where the host's /proc
 * and /sys are (node_exporter's --path.procfs/--path.sysfs/--path.rootfs, so fixture trees
 * stand in for the live machine in tests).
 * @module
 */
import type { Aggregator, MetricValue } from 'prom-client';

/** One sample: a label set and its value. */
export type Sample = MetricValue<string>;

/**
 * One metric family: name, help, type and its samples, in the shape prom-client's registry
 * renders (its typings say the type is an enum; at run time it is the type's name).
 */
export interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  aggregator: Aggregator;
  values: Sample[];
}

/** Where the host's pseudo file systems are mounted (the live host: /proc, /sys, /). */
export interface HostPaths {
  proc: string;
  sys: string;
  /** The host's root, prefixed to mount points for statfs (node_exporter's --path.rootfs). */
  rootfs: string;
}

/** The live machine's paths. */
export const LIVE_PATHS: HostPaths = { proc: '/proc', sys: '/sys', rootfs: '/' };

/** What a collector gets on each scrape. */
export interface CollectContext {
  paths: HostPaths;
  /** Now, in ms since the epoch (injected so fixture tests are deterministic). */
  now: () => number;
}

/** A collector: one file, one typed definition, registered in collectors/index.ts. */
export interface Collector {
  /** Short name, as node_exporter's `collector` label spells it (cpu, meminfo, ...). */
  id: string;
  /** One line: what it reads and which families it yields. */
  description: string;
  /** Reads the host and yields families; throws when its source is unreadable. */
  collect(ctx: CollectContext): Promise<Family[]>;
}
