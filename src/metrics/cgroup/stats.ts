/**
 * One cgroup's figures, read as runc's cgroup managers read them for cAdvisor: cgroup v2 files
 * (cpu.stat, memory.current, memory.stat, io.stat, ...) from the unified hierarchy when it has
 * the controller, else the cgroup v1 files (cpuacct.usage, memory.usage_in_bytes, blkio.*).
 * Units are converted here: seconds and bytes.
 * @module
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { keyValues, tryNumber, tryText } from '../read.ts';
import { cgroupDir, type CgroupLayout } from './layout.ts';

/** Bytes and operations of one block device. */
export interface IoStat {
  major: number;
  minor: number;
  readBytes: number;
  writeBytes: number;
  reads: number;
  writes: number;
}

/** What is known of one cgroup; absent fields had no file. */
export interface CgroupStats {
  cpuSeconds?: number;
  cpuUserSeconds?: number;
  cpuSystemSeconds?: number;
  cfsPeriods?: number;
  cfsThrottledPeriods?: number;
  cfsThrottledSeconds?: number;
  /** CFS quota in microseconds; undefined when unlimited. */
  cpuQuota?: number;
  cpuPeriod?: number;
  cpuShares?: number;
  memoryUsage?: number;
  memoryWorkingSet?: number;
  memoryRss?: number;
  memoryCache?: number;
  memoryMappedFile?: number;
  memorySwap?: number;
  memoryFailcnt?: number;
  memoryMaxUsage?: number;
  /** Memory limit in bytes; undefined when unlimited. */
  memoryLimit?: number;
  oomKills?: number;
  io: IoStat[];
  /** Processes (thread group leaders) in the cgroup itself. */
  pids: number[];
  /** mtime of the cgroup directory, seconds (cAdvisor's creation time of a raw cgroup). */
  startTime?: number;
}

/** A limit above 2^62 is "no limit" (cAdvisor prints 0 for it). */
const UNLIMITED = 2 ** 62;

/** usage - inactive file, floored at 0: the figure kubelet evicts on. */
function workingSet(usage: number | undefined, inactiveFile: number | undefined): number | undefined {
  if (usage === undefined) return undefined;
  return inactiveFile === undefined ? usage : Math.max(0, usage - inactiveFile);
}

async function pidsOf(dir: string): Promise<number[]> {
  const t = await tryText(join(dir, 'cgroup.procs'));
  return t ? t.split('\n').filter(Boolean).map(Number) : [];
}

/** cgroup v2 io.stat: `MAJ:MIN rbytes=.. wbytes=.. rios=.. wios=..` lines. */
export function parseIoStat(text: string): IoStat[] {
  const out: IoStat[] = [];
  for (const line of text.split('\n')) {
    const [dev, ...kvs] = line.trim().split(/\s+/);
    const m = /^(\d+):(\d+)$/.exec(dev ?? '');
    if (!m) continue;
    const kv = Object.fromEntries(kvs.map((p) => p.split('=')).map(([k, v]) => [k, Number(v)]));
    out.push({ major: Number(m[1]), minor: Number(m[2]), readBytes: kv.rbytes ?? 0, writeBytes: kv.wbytes ?? 0, reads: kv.rios ?? 0, writes: kv.wios ?? 0 });
  }
  return out;
}

/** cgroup v1 blkio.throttle.* : `MAJ:MIN Read|Write|... N` lines into `key` of each device. */
function addBlkio(text: string | undefined, into: Map<string, IoStat>, read: 'readBytes' | 'reads', write: 'writeBytes' | 'writes'): void {
  for (const line of (text ?? '').split('\n')) {
    const [dev, op, v] = line.trim().split(/\s+/);
    const m = /^(\d+):(\d+)$/.exec(dev ?? '');
    if (!m || (op !== 'Read' && op !== 'Write')) continue;
    let s = into.get(dev);
    if (!s) into.set(dev, (s = { major: Number(m[1]), minor: Number(m[2]), readBytes: 0, writeBytes: 0, reads: 0, writes: 0 }));
    s[op === 'Read' ? read : write] += Number(v);
  }
}

/** Reads one cgroup (`path` as `/a/b`) from the hierarchies that hold each controller. */
export async function readCgroup(layout: CgroupLayout, path: string, userHz = 100): Promise<CgroupStats> {
  const s: CgroupStats = { io: [], pids: [] };
  const v2 = layout.v2;
  const has2 = (c: string) => !!v2 && (v2.controllers.has(c) || (c === 'cpu' && !layout.v1.has('cpuacct')));
  const d2 = v2 ? cgroupDir(v2, path) : '';
  const v1 = (c: string) => { const h = layout.v1.get(c); return h ? cgroupDir(h, path) : undefined; };

  if (has2('cpu')) {
    const cs = keyValues((await tryText(join(d2, 'cpu.stat'))) ?? '');
    s.cpuSeconds = cs.has('usage_usec') ? cs.get('usage_usec')! / 1e6 : undefined;
    s.cpuUserSeconds = cs.has('user_usec') ? cs.get('user_usec')! / 1e6 : undefined;
    s.cpuSystemSeconds = cs.has('system_usec') ? cs.get('system_usec')! / 1e6 : undefined;
    s.cfsPeriods = cs.get('nr_periods');
    s.cfsThrottledPeriods = cs.get('nr_throttled');
    s.cfsThrottledSeconds = cs.has('throttled_usec') ? cs.get('throttled_usec')! / 1e6 : undefined;
    const max = (await tryText(join(d2, 'cpu.max')))?.trim().split(/\s+/);
    if (max) {
      s.cpuQuota = max[0] === 'max' ? undefined : Number(max[0]);
      s.cpuPeriod = Number(max[1]);
    }
    const weight = await tryNumber(join(d2, 'cpu.weight'));
    // cgroup v2 weight back to v1 shares, the inverse of runc's shares->weight mapping
    if (weight !== undefined) s.cpuShares = Math.floor(2 + ((weight - 1) * 262142) / 9999);
  } else {
    const acct = v1('cpuacct');
    const cpu = v1('cpu');
    if (acct) {
      const ns = await tryNumber(join(acct, 'cpuacct.usage'));
      s.cpuSeconds = ns === undefined ? undefined : ns / 1e9;
      const st = keyValues((await tryText(join(acct, 'cpuacct.stat'))) ?? '');
      if (st.has('user')) s.cpuUserSeconds = st.get('user')! / userHz;
      if (st.has('system')) s.cpuSystemSeconds = st.get('system')! / userHz;
    }
    if (cpu) {
      const cs = keyValues((await tryText(join(cpu, 'cpu.stat'))) ?? '');
      s.cfsPeriods = cs.get('nr_periods');
      s.cfsThrottledPeriods = cs.get('nr_throttled');
      s.cfsThrottledSeconds = cs.has('throttled_time') ? cs.get('throttled_time')! / 1e9 : undefined;
      const quota = await tryNumber(join(cpu, 'cpu.cfs_quota_us'));
      s.cpuQuota = quota !== undefined && quota > 0 ? quota : undefined;
      s.cpuPeriod = await tryNumber(join(cpu, 'cpu.cfs_period_us'));
      s.cpuShares = await tryNumber(join(cpu, 'cpu.shares'));
    }
  }

  if (has2('memory')) {
    const ms = keyValues((await tryText(join(d2, 'memory.stat'))) ?? '');
    s.memoryUsage = await tryNumber(join(d2, 'memory.current'));
    s.memoryWorkingSet = workingSet(s.memoryUsage, ms.get('inactive_file'));
    s.memoryRss = ms.get('anon');
    s.memoryCache = ms.get('file');
    s.memoryMappedFile = ms.get('file_mapped');
    s.memorySwap = await tryNumber(join(d2, 'memory.swap.current'));
    s.memoryMaxUsage = await tryNumber(join(d2, 'memory.peak'));
    const ev = keyValues((await tryText(join(d2, 'memory.events'))) ?? '');
    s.memoryFailcnt = ev.get('max');
    s.oomKills = ev.get('oom_kill');
    s.memoryLimit = await tryNumber(join(d2, 'memory.max'));
  } else if (v1('memory')) {
    const dm = v1('memory')!;
    const ms = keyValues((await tryText(join(dm, 'memory.stat'))) ?? '');
    s.memoryUsage = await tryNumber(join(dm, 'memory.usage_in_bytes'));
    s.memoryWorkingSet = workingSet(s.memoryUsage, ms.get('total_inactive_file'));
    s.memoryRss = ms.get('total_rss');
    s.memoryCache = ms.get('total_cache');
    s.memoryMappedFile = ms.get('total_mapped_file');
    s.memorySwap = ms.get('total_swap');
    s.memoryMaxUsage = await tryNumber(join(dm, 'memory.max_usage_in_bytes'));
    s.memoryFailcnt = await tryNumber(join(dm, 'memory.failcnt'));
    s.oomKills = keyValues((await tryText(join(dm, 'memory.oom_control'))) ?? '').get('oom_kill');
    s.memoryLimit = await tryNumber(join(dm, 'memory.limit_in_bytes'));
  }
  if (s.memoryLimit !== undefined && s.memoryLimit > UNLIMITED) s.memoryLimit = undefined;

  if (has2('io')) s.io = parseIoStat((await tryText(join(d2, 'io.stat'))) ?? '');
  else if (v1('blkio')) {
    const db = v1('blkio')!;
    const devs = new Map<string, IoStat>();
    const pick = async (f: string) => (await tryText(join(db, `${f}_recursive`))) || (await tryText(join(db, f)));
    addBlkio(await pick('blkio.throttle.io_service_bytes'), devs, 'readBytes', 'writeBytes');
    addBlkio(await pick('blkio.throttle.io_serviced'), devs, 'reads', 'writes');
    s.io = [...devs.values()];
  }

  // processes: from any hierarchy this cgroup is in (v2 first, as it is the one that is always whole)
  for (const dir of [v2 && d2, v1('pids'), v1('memory'), v1('cpuacct')]) {
    if (!dir) continue;
    const p = await pidsOf(dir);
    if (p.length) {
      s.pids = p;
      break;
    }
  }
  const primaryDir = v1('memory') ?? (v2 ? d2 : v1('cpuacct'));
  if (primaryDir) s.startTime = await stat(primaryDir).then((st) => st.mtimeMs / 1000, () => undefined);
  return s;
}
