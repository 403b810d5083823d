/**
 * cAdvisor's container_* families from cgroup figures, with the labels kubelet's
 * /metrics/cadvisor gives every series: id (cgroup path), name (the runtime's container id for
 * containerd), image, namespace, pod, container (empty strings where unknown, so every series
 * of a family has the same label names). CFS figures appear only for a cgroup with a quota, as
 * in cAdvisor.
 * @module
 */
import { counter, gauge, type FamilyBuilder } from '../families.ts';
import type { Family } from '../types.ts';
import type { CgroupStats } from './stats.ts';

/** The six kubelet/cAdvisor labels of one cgroup. */
export interface ContainerLabels {
  id: string;
  name: string;
  image: string;
  namespace: string;
  pod: string;
  container: string;
  [k: string]: string;
}

/** One cgroup to render: its labels, figures, network counters and start time. */
export interface ContainerRow {
  labels: ContainerLabels;
  stats: CgroupStats;
  /** interface -> [rx bytes, rx packets, rx errors, rx dropped, tx bytes, tx packets, tx errors, tx dropped]. */
  network?: Map<string, number[]>;
  /** Device names by `major:minor` (for the fs families' `device` label). */
  devices: Map<string, string>;
  startTime?: number;
}

type Pick = (s: CgroupStats) => number | undefined;
const SCALAR: [() => FamilyBuilder, Pick][] = [
  [() => counter('container_cpu_system_seconds_total', 'Cumulative system cpu time consumed in seconds.'), (s) => s.cpuSystemSeconds],
  [() => counter('container_cpu_user_seconds_total', 'Cumulative user cpu time consumed in seconds.'), (s) => s.cpuUserSeconds],
  [() => counter('container_cpu_cfs_periods_total', 'Number of elapsed enforcement period intervals.'), (s) => (s.cpuQuota ? s.cfsPeriods : undefined)],
  [() => counter('container_cpu_cfs_throttled_periods_total', 'Number of throttled period intervals.'), (s) => (s.cpuQuota ? s.cfsThrottledPeriods : undefined)],
  [() => counter('container_cpu_cfs_throttled_seconds_total', 'Total time duration the container has been throttled.'), (s) => (s.cpuQuota ? s.cfsThrottledSeconds : undefined)],
  [() => gauge('container_memory_cache', 'Number of bytes of page cache memory.'), (s) => s.memoryCache],
  [() => counter('container_memory_failcnt', 'Number of memory usage hits limits.'), (s) => s.memoryFailcnt],
  [() => gauge('container_memory_mapped_file', 'Size of memory mapped files in bytes.'), (s) => s.memoryMappedFile],
  [() => gauge('container_memory_max_usage_bytes', 'Maximum memory usage recorded in bytes.'), (s) => s.memoryMaxUsage],
  [() => gauge('container_memory_rss', 'Size of RSS in bytes.'), (s) => s.memoryRss],
  [() => gauge('container_memory_swap', 'Container swap usage in bytes.'), (s) => s.memorySwap],
  [() => gauge('container_memory_usage_bytes', 'Current memory usage in bytes, including all memory regardless of when it was accessed.'), (s) => s.memoryUsage],
  [() => gauge('container_memory_working_set_bytes', 'Current working set in bytes.'), (s) => s.memoryWorkingSet],
  [() => counter('container_oom_events_total', 'Count of out of memory events observed for the container.'), (s) => s.oomKills],
  [() => gauge('container_processes', 'Number of processes running inside the container.'), (s) => s.pids.length],
  [() => gauge('container_spec_cpu_period', 'CPU period of the container.'), (s) => s.cpuPeriod],
  [() => gauge('container_spec_cpu_quota', 'CPU quota of the container.'), (s) => s.cpuQuota],
  [() => gauge('container_spec_cpu_shares', 'CPU share of the container.'), (s) => s.cpuShares],
  [() => gauge('container_spec_memory_limit_bytes', 'Memory limit for the container.'), (s) => s.memoryLimit ?? (s.memoryUsage !== undefined ? 0 : undefined)],
];

const NET: [string, string][] = [
  ['container_network_receive_bytes_total', 'Cumulative count of bytes received.'],
  ['container_network_receive_packets_total', 'Cumulative count of packets received.'],
  ['container_network_receive_errors_total', 'Cumulative count of errors encountered while receiving.'],
  ['container_network_receive_packets_dropped_total', 'Cumulative count of packets dropped while receiving.'],
  ['container_network_transmit_bytes_total', 'Cumulative count of bytes transmitted.'],
  ['container_network_transmit_packets_total', 'Cumulative count of packets transmitted.'],
  ['container_network_transmit_errors_total', 'Cumulative count of errors encountered while transmitting.'],
  ['container_network_transmit_packets_dropped_total', 'Cumulative count of packets dropped while transmitting.'],
];

/** The container_* families of some cgroups, `now` in seconds for container_last_seen. */
export function containerFamilies(rows: ContainerRow[], now: number): Family[] {
  const cpu = counter('container_cpu_usage_seconds_total', 'Cumulative cpu time consumed in seconds.');
  const scalars = SCALAR.map(([make, pick]) => ({ f: make(), pick }));
  const net = NET.map(([n, h]) => counter(n, h));
  const fsReadBytes = counter('container_fs_reads_bytes_total', 'Cumulative count of bytes read.');
  const fsWriteBytes = counter('container_fs_writes_bytes_total', 'Cumulative count of bytes written.');
  const fsReads = counter('container_fs_reads_total', 'Cumulative count of reads completed.');
  const fsWrites = counter('container_fs_writes_total', 'Cumulative count of writes completed.');
  const lastSeen = gauge('container_last_seen', 'Last time a container was seen by the exporter.');
  const start = gauge('container_start_time_seconds', 'Start time of the container since unix epoch in seconds.');
  for (const r of rows) {
    const l = r.labels;
    if (r.stats.cpuSeconds !== undefined) cpu.add(r.stats.cpuSeconds, { ...l, cpu: 'total' });
    for (const { f, pick } of scalars) {
      const v = pick(r.stats);
      if (v !== undefined && Number.isFinite(v)) f.add(v, l);
    }
    for (const [iface, v] of r.network ?? []) net.forEach((f, i) => f.add(v[i] ?? 0, { ...l, interface: iface }));
    for (const io of r.stats.io) {
      const device = r.devices.get(`${io.major}:${io.minor}`) ?? '';
      fsReadBytes.add(io.readBytes, { ...l, device });
      fsWriteBytes.add(io.writeBytes, { ...l, device });
      fsReads.add(io.reads, { ...l, device });
      fsWrites.add(io.writes, { ...l, device });
    }
    lastSeen.add(now, l);
    if (r.startTime !== undefined) start.add(r.startTime, l);
  }
  return [cpu, ...scalars.map((s) => s.f), ...net, fsReadBytes, fsReads, fsWriteBytes, fsWrites, lastSeen, start];
}
