/**
 * Where the cgroup hierarchies are: a cgroup2 (unified) mount, cgroup v1 mounts by controller,
 * or both (hybrid, as on this project's CI machines: v1 controllers with an empty unified
 * mount). Each stat is read from the hierarchy that has its controller, as runc and cAdvisor
 * do; the container list comes from walking one of them.
 * @module
 */
import { readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { readMounts } from '../collectors/filesystem.ts';
import { tryText } from '../read.ts';
import type { HostPaths } from '../types.ts';

/** One mounted hierarchy: its directory on this machine and the cgroup path of its root. */
export interface Hierarchy {
  dir: string;
  root: string;
}

/** The hierarchies of a host. */
export interface CgroupLayout {
  /** The unified hierarchy, when mounted. */
  v2?: Hierarchy & { controllers: Set<string> };
  /** v1 hierarchies by controller (cpu, cpuacct, memory, blkio, pids, ...). */
  v1: Map<string, Hierarchy>;
}

/** A mount point as a path under the given host paths (/sys/... under `paths.sys`). */
function hostDir(paths: HostPaths, mountpoint: string): string {
  if (mountpoint === '/sys' || mountpoint.startsWith('/sys/')) return join(paths.sys, mountpoint.slice(4));
  return join(paths.rootfs, mountpoint);
}

/** The cgroup layout from mountinfo (pid 1's, else this process's). */
export async function cgroupLayout(paths: HostPaths): Promise<CgroupLayout> {
  const layout: CgroupLayout = { v1: new Map() };
  for (const m of await readMounts(paths)) {
    const h = { dir: hostDir(paths, m.mountpoint), root: m.root };
    if (m.fstype === 'cgroup2' && !layout.v2) {
      const ctl = (await tryText(join(h.dir, 'cgroup.controllers'))) ?? '';
      layout.v2 = { ...h, controllers: new Set(ctl.trim().split(/\s+/).filter(Boolean)) };
    } else if (m.fstype === 'cgroup') {
      for (const o of m.superOptions) if (!layout.v1.has(o) && o !== 'rw' && o !== 'ro') layout.v1.set(o, h);
    }
  }
  return layout;
}

/** The hierarchy walked for the container list: the one with the memory controller, else any. */
export function primary(layout: CgroupLayout): Hierarchy | undefined {
  if (layout.v1.has('memory')) return layout.v1.get('memory');
  if (layout.v2) return layout.v2;
  return layout.v1.get('cpuacct') ?? layout.v1.values().next().value;
}

/** The directory of cgroup `path` (as `/a/b`) in a hierarchy. */
export function cgroupDir(h: Hierarchy, path: string): string {
  const rel = h.root === '/' ? path : posix.relative(h.root, path);
  return join(h.dir, rel.startsWith('/') ? rel.slice(1) : rel);
}

/**
 * Cgroup paths under a hierarchy, depth first, as `/a/b`; `stop` ends the descent at a path
 * (a container's own sub-cgroups belong to it).
 */
export async function walkCgroups(h: Hierarchy, stop: (path: string) => boolean, maxDepth = 8): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string, path: string, depth: number): Promise<void> => {
    if (depth > maxDepth) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // removed while walking
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const p = posix.join(path, e.name);
      out.push(p);
      if (!stop(p)) await visit(join(dir, e.name), p, depth + 1);
    }
  };
  await visit(h.dir, h.root, 0);
  return out;
}
