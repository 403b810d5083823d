/**
 * node_exporter's filesystem collector: statfs of every mount in pid 1's mountinfo, less
 * node_exporter's default excluded mount points and file system types. A mount whose statfs
 * fails or hangs past the timeout gets node_filesystem_device_error 1 and no size figures.
 * @module
 */
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { gauge } from '../families.ts';
import { readText, tryText } from '../read.ts';
import type { Collector, HostPaths } from '../types.ts';

/** node_exporter's default --collector.filesystem.mount-points-exclude. */
export const MOUNT_POINTS_EXCLUDE = /^\/(dev|proc|run\/credentials\/.+|sys|var\/lib\/docker\/.+|var\/lib\/containers\/storage\/.+)($|\/)/;
/** node_exporter's default --collector.filesystem.fs-types-exclude. */
export const FS_TYPES_EXCLUDE = /^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs)$/;

/** One mount of mountinfo. */
export interface Mount {
  device: string;
  fstype: string;
  mountpoint: string;
  readonly: boolean;
  /** The path inside its file system that is mounted (a cgroup hierarchy's root cgroup). */
  root: string;
  /** The super-block options (a cgroup v1 mount's controllers are among them). */
  superOptions: string[];
}

/** The statfs figures used (Node's StatFs shape). */
export interface StatFsLike {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
}

const unescape = (s: string) => s.replace(/\\040/g, ' ').replace(/\\011/g, '\t');

/** Mounts of a /proc/PID/mountinfo text (`\040` and `\011` unescaped as fstab(5) says). */
export function parseMountinfo(text: string): Mount[] {
  const out: Mount[] = [];
  for (const line of text.split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const left = line.slice(0, dash).split(' ');
    const right = line.slice(dash + 3).split(' ');
    if (left.length < 6 || right.length < 2) continue;
    out.push({
      mountpoint: unescape(left[4]), readonly: left[5].split(',').includes('ro'), fstype: right[0], device: unescape(right[1]),
      root: unescape(left[3]), superOptions: (right[2] ?? '').split(','),
    });
  }
  return out;
}

/** The host's mounts: pid 1's mountinfo, else this process's. */
export async function readMounts(paths: HostPaths): Promise<Mount[]> {
  return parseMountinfo((await tryText(join(paths.proc, '1', 'mountinfo'))) ?? (await readText(join(paths.proc, 'self', 'mountinfo'))));
}

/** statfs with a deadline (a dead NFS server must not hold the scrape). */
async function statfsWithin(path: string, ms: number): Promise<StatFsLike> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`statfs ${path}: no answer in ${ms} ms`)), ms); });
  try {
    return await Promise.race([statfs(path), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The filesystem collector; `stat` is replaceable for fixture trees (no real mounts behind them). */
export function filesystemCollector(stat: (path: string) => Promise<StatFsLike> = (p) => statfsWithin(p, 5000)): Collector {
  return {
    id: 'filesystem',
    description: 'node_filesystem_{size,free,avail}_bytes, node_filesystem_files[_free], node_filesystem_readonly, node_filesystem_device_error {device,fstype,mountpoint}',
    async collect({ paths }) {
      const size = gauge('node_filesystem_size_bytes', 'Filesystem size in bytes.');
      const free = gauge('node_filesystem_free_bytes', 'Filesystem free space in bytes.');
      const avail = gauge('node_filesystem_avail_bytes', 'Filesystem space available to non-root users in bytes.');
      const files = gauge('node_filesystem_files', 'Filesystem total file nodes.');
      const filesFree = gauge('node_filesystem_files_free', 'Filesystem total free file nodes.');
      const ro = gauge('node_filesystem_readonly', 'Filesystem read-only status.');
      const err = gauge('node_filesystem_device_error', 'Whether an error occurred while getting statistics for the given device.');
      const seen = new Set<string>();
      for (const m of await readMounts(paths)) {
        if (MOUNT_POINTS_EXCLUDE.test(m.mountpoint) || FS_TYPES_EXCLUDE.test(m.fstype)) continue;
        const labels = { device: m.device, fstype: m.fstype, mountpoint: m.mountpoint };
        // a mount point mounted over keeps one series (label sets must be unique)
        const key = `${m.device}\0${m.mountpoint}`;
        if (seen.has(key)) continue;
        seen.add(key);
        let s: StatFsLike;
        try {
          s = await stat(join(paths.rootfs, m.mountpoint));
        } catch {
          err.add(1, labels);
          continue;
        }
        err.add(0, labels);
        size.add(s.blocks * s.bsize, labels);
        free.add(s.bfree * s.bsize, labels);
        avail.add(s.bavail * s.bsize, labels);
        files.add(s.files, labels);
        filesFree.add(s.ffree, labels);
        ro.add(m.readonly ? 1 : 0, labels);
      }
      return [avail, err, files, filesFree, free, ro, size];
    },
  };
}
