/**
 * The container collector (cAdvisor's role): every container cgroup (the container id taken
 * from the cgroup path exactly as the syscall source does it, through the sources door) and
 * the root cgroup `/`, with image, pod, namespace and container name from the container
 * runtime's metadata when a source is given (src/k8s's ContainerMetadataResolver fits).
 * @module
 */
import { readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { containerFromCgroups } from '../../sources/index.ts';
import { parseNetDev } from '../collectors/netdev.ts';
import { tryText } from '../read.ts';
import type { Collector, HostPaths } from '../types.ts';
import { containerFamilies, type ContainerLabels, type ContainerRow } from './families.ts';
import { cgroupLayout, primary, walkCgroups } from './layout.ts';
import { readCgroup } from './stats.ts';

/** What the collector needs to know of a container (a subset of src/k8s's ContainerMeta). */
export interface ContainerFacts {
  image: string;
  pod?: { name: string; namespace: string; containerName?: string };
}

/** Where container facts come from; lookups must not reject. */
export interface ContainerFactsSource {
  cached(id: string): ContainerFacts | undefined;
  lookup(id: string): Promise<ContainerFacts | undefined>;
}

/** Interfaces cAdvisor leaves out of container network figures (by prefix). */
const IGNORED_IFACES = ['lo', 'veth', 'docker'];

/** Network counters of a process's namespace in cAdvisor's column order; undefined in the host's namespace. */
async function networkOf(paths: HostPaths, pid: number | undefined, hostNs: string | undefined, root: boolean): Promise<Map<string, number[]> | undefined> {
  if (pid === undefined) return undefined;
  if (!root) {
    const ns = await readlink(join(paths.proc, String(pid), 'ns', 'net')).catch(() => undefined);
    // a host-network container shares the node's interfaces: cAdvisor gives it none
    if (!ns || ns === hostNs) return undefined;
  }
  const text = await tryText(join(paths.proc, String(pid), 'net', 'dev'));
  if (text === undefined) return undefined;
  const out = new Map<string, number[]>();
  for (const [iface, v] of parseNetDev(text)) {
    if (IGNORED_IFACES.some((p) => iface.toLowerCase().startsWith(p))) continue;
    // /proc/net/dev: rx bytes packets errs drop ..., tx (from column 8) bytes packets errs drop
    out.set(iface, [v[0], v[1], v[2], v[3], v[8], v[9], v[10], v[11]]);
  }
  return out;
}

/** Block device names by `major:minor`, as `/dev/NAME` (from /proc/diskstats). */
async function deviceNames(paths: HostPaths): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  for (const line of ((await tryText(join(paths.proc, 'diskstats'))) ?? '').split('\n')) {
    const [maj, min, name] = line.trim().split(/\s+/);
    if (name) m.set(`${maj}:${min}`, `/dev/${name}`);
  }
  return m;
}

/** The container collector; `facts` adds image and pod labels. */
export function containerCollector(facts?: ContainerFactsSource): Collector {
  return {
    id: 'cgroup',
    description: 'container_cpu_usage_seconds_total, container_memory_working_set_bytes, container_memory_usage_bytes, container_network_*, container_fs_* {id,name,image,namespace,pod,container}',
    async collect({ paths, now }) {
      const layout = await cgroupLayout(paths);
      const walkOn = primary(layout);
      if (!walkOn) return [];
      const isContainer = (p: string) => containerFromCgroups([p]).id !== 'host';
      const paths_ = (await walkCgroups(walkOn, isContainer)).filter(isContainer);
      const devices = await deviceNames(paths);
      const hostNs = await readlink(join(paths.proc, '1', 'ns', 'net')).catch(() => undefined);
      const rows: ContainerRow[] = [];
      const rootStats = await readCgroup(layout, '/');
      rows.push({
        labels: { id: '/', name: '', image: '', namespace: '', pod: '', container: '' },
        stats: rootStats, devices, network: await networkOf(paths, 1, hostNs, true),
      });
      for (const path of paths_) {
        const c = containerFromCgroups([path]);
        const fullId = c.fullId ?? c.id;
        const f = facts ? (facts.cached(fullId) ?? (await facts.lookup(fullId))) : undefined;
        const labels: ContainerLabels = {
          id: path, name: fullId, image: f?.image ?? '',
          namespace: f?.pod?.namespace ?? '', pod: f?.pod?.name ?? '', container: f?.pod?.containerName ?? '',
        };
        const stats = await readCgroup(layout, path);
        rows.push({ labels, stats, devices, startTime: stats.startTime, network: await networkOf(paths, stats.pids[0], hostNs, false) });
      }
      return containerFamilies(rows, now() / 1000);
    },
  };
}
