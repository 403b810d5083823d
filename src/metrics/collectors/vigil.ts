/**
 * Vigil's own counters under Falco's Prometheus names (falcosecurity_falco_* and
 * falcosecurity_scap_*, as Falco's webserver /metrics prints them), so Falco dashboards and
 * alerts work unchanged: events read by the engine, the sensor's kernel-side events and drops
 * (in total and per CPU), rule matches by rule with priority (Falco's number, 0 = Emergency),
 * source and `tag_<tag>="true"` labels. Only matches above zero are listed, as Falco does.
 * @module
 */
import { hostname, cpus, release } from 'node:os';
import { PRIORITIES, type Priority } from '../../core/index.ts';
import { counter, gauge, labelName } from '../families.ts';
import type { Collector, Family } from '../types.ts';

/** The sensor's counters (the loader's stats line). */
export interface SensorCounts {
  sent: number;
  lost: number;
  lostPerCpu: number[];
}

/** Where the running detection's counters are read at scrape time. */
export interface DetectionStats {
  /** When detection started, ms since the epoch. */
  startedAtMs: number;
  /** Events the syscall engine read; undefined when live detection is off. */
  eventsRead?: () => number | undefined;
  /** The live sensor's counters; undefined when it is not running. */
  sensor?: () => SensorCounts | undefined;
  /** Matches by rule name (summed over every source's engine). */
  matches: () => Iterable<[string, number]>;
  /** A rule's priority, source and tags by name. */
  rule: (name: string) => { priority: Priority; source: string; tags: string[] } | undefined;
  /** Threads and containers in the syscall state table. */
  threads?: () => number | undefined;
  containers?: () => number | undefined;
}

/** The collector of Vigil's own counters. */
export function vigilCollector(stats: DetectionStats): Collector {
  return {
    id: 'vigil',
    description: "falcosecurity_falco_rules_matches_total, falcosecurity_scap_n_evts_total, falcosecurity_scap_n_drops_total, falcosecurity_scap_n_drops_cpu_total{cpu}, falcosecurity_falco_n_evts_total, ...",
    async collect({ now }) {
      const out: Family[] = [
        gauge('falcosecurity_evt_hostname_info', 'Host name of the events.').add(1, { hostname: process.env.FALCO_HOSTNAME ?? hostname() }),
        counter('falcosecurity_falco_duration_seconds_total', 'Seconds since detection started.').add(Math.floor((now() - stats.startedAtMs) / 1000)),
        gauge('falcosecurity_falco_host_num_cpus_total', 'CPUs of the host.').add(cpus().length),
        gauge('falcosecurity_falco_kernel_release_info', 'Kernel release of the host.').add(1, { kernel_release: release() }),
        gauge('falcosecurity_falco_start_timestamp_nanoseconds', 'When detection started, ns since the epoch.').add(stats.startedAtMs * 1e6),
      ];
      const matches = counter('falcosecurity_falco_rules_matches_total', 'Alerts raised, by rule.');
      for (const [name, n] of stats.matches()) {
        const r = stats.rule(name);
        if (n <= 0 || !r) continue;
        const labels: Record<string, string> = { priority: String(PRIORITIES.indexOf(r.priority)), rule_name: name, source: r.source };
        for (const t of r.tags) labels[`tag_${labelName(t)}`] = 'true';
        matches.add(n, labels);
      }
      out.push(matches);
      const read = stats.eventsRead?.();
      if (read !== undefined) out.push(counter('falcosecurity_falco_n_evts_total', 'Events the engine read.').add(read));
      const s = stats.sensor?.();
      if (s) {
        // as Falco's drop alert counts them: events seen by the kernel side = delivered + lost
        out.push(counter('falcosecurity_scap_n_evts_total', 'Events the kernel side captured (delivered and lost).').add(s.sent + s.lost));
        out.push(counter('falcosecurity_scap_n_drops_total', 'Events lost in the kernel ring buffer.').add(s.lost));
        const perCpu = counter('falcosecurity_scap_n_drops_cpu_total', 'Events lost in the kernel ring buffer, by CPU.');
        s.lostPerCpu.forEach((n, cpu) => perCpu.add(n ?? 0, { cpu: String(cpu) }));
        out.push(perCpu);
      }
      const threads = stats.threads?.();
      if (threads !== undefined) out.push(gauge('falcosecurity_scap_n_threads_total', 'Threads in the state table.').add(threads));
      const containers = stats.containers?.();
      if (containers !== undefined) out.push(gauge('falcosecurity_scap_n_containers_total', 'Containers in the state table.').add(containers));
      return out;
    },
  };
}
