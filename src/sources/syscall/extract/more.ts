/**
 * The less common syscall fields of Falco's list: latencies and relative times, io counters,
 * ancestor args/env, process groups, resource figures, std streams, cgroups, fd lists,
 * mount attributes, pod labels and fs.path.*.
 * @module
 */
import { FDT } from '../scap/index.ts';
import { FD_TYPE_NAMES, resolvePath, type SyscallEvent, type ThreadInfo } from '../state/index.ts';
import { ancestorField } from './proc.ts';
import type { Extractor, ExtractorMap, ExtractorSpec } from './types.ts';

const proc = (ev: SyscallEvent) => (ev.thread ? ev.st.mainThread(ev.thread) : undefined);
const parent = (ev: SyscallEvent, p: ThreadInfo) => {
  const t = ev.st.parent(p);
  return t ? ev.st.mainThread(t) : undefined;
};
const of = (g: (t: ThreadInfo, ev: SyscallEvent) => ReturnType<Extractor>): Extractor => (ev) => {
  const p = proc(ev);
  return p ? g(p, ev) : undefined;
};
const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined);

/**
 * proc.aenv: like the other ancestor fields by level or without an argument; with a variable
 * name, its value in the nearest of up to 20 ancestors that has it ('' when none).
 */
function ancestorEnv(): ExtractorSpec {
  const base = ancestorField('CHARBUF', 'ancestor env', (t) => t.env.join(' '));
  return {
    ...base,
    arg: 'optional-key',
    extract: (ev, arg) => {
      if (arg === undefined || /^[0-9]+$/.test(arg)) return base.extract(ev, arg);
      let p = proc(ev);
      for (let i = 0; i < 20 && p && (p = parent(ev, p)); i++) {
        const hit = p.env.find((x) => x.startsWith(arg + '='));
        if (hit) return hit.slice(arg.length + 1);
      }
      return '';
    },
  };
}

function pgLeader(ev: SyscallEvent): ThreadInfo | undefined {
  let p = proc(ev);
  for (let i = 0; i < 64 && p; i++) {
    if (p.pid === p.vpgid || p.vpid === p.vpgid) return p;
    p = parent(ev, p);
  }
  return undefined;
}

function ioBytes(ev: SyscallEvent, dir: 'in' | 'out' | undefined, kind: 'file' | 'net' | undefined): number | undefined {
  const cat = ev.e.info.category;
  const d = cat.includes('IO_READ') ? 'in' : cat.includes('IO_WRITE') ? 'out' : undefined;
  if (!d || (dir && d !== dir)) return undefined;
  const k = ev.fd ? (ev.fd.kind === FDT.FILE || ev.fd.kind === FDT.DIRECTORY ? 'file' : ev.fd.kind <= FDT.IPV6_SERVSOCK && ev.fd.kind >= FDT.IPV4_SOCK ? 'net' : 'other') : 'other';
  if (kind && k !== kind) return undefined;
  const res = num(ev.e.param(0));
  return res !== undefined && res > 0 && ev.e.info.dir === '<' ? res : undefined;
}

const PATH_KEYS = ['path', 'name', 'pathname', 'filename'];
const SOURCE_KEYS = ['oldpath', 'source', 'target'];
const TARGET_KEYS = ['newpath', 'linkpath', 'target'];
const FS_TYPES = new Set(['mkdir', 'mkdirat', 'rmdir', 'unlink', 'unlinkat', 'rename', 'renameat', 'renameat2', 'link', 'linkat', 'symlink', 'symlinkat', 'chmod', 'fchmodat', 'chown', 'fchownat', 'lchown', 'mknod', 'mknodat', 'truncate']);

function fsRaw(ev: SyscallEvent, keys: string[]): string | undefined {
  if (!FS_TYPES.has(ev.e.info.name) || ev.e.info.dir !== '<') return undefined;
  for (const k of keys) {
    const v = ev.e.get(k);
    if (typeof v === 'string') return v;
  }
  return undefined;
}
function fsAbs(ev: SyscallEvent, keys: string[]): string | undefined {
  const raw = fsRaw(ev, keys);
  if (raw === undefined) return undefined;
  const dirfd = num(ev.e.get('dirfd') ?? ev.e.get('newdirfd'));
  const dir = dirfd !== undefined && dirfd !== -100 ? (ev.thread?.fds.get(dirfd)?.name ?? '') : (ev.thread?.cwd ?? '');
  return resolvePath(dir, raw);
}

function stdStream(n: number, what: 'type' | 'name'): Extractor {
  return of((p) => {
    const f = p.fds.get(n);
    if (!f) return undefined;
    return what === 'type' ? FD_TYPE_NAMES[f.kind] || undefined : f.name;
  });
}

/** Extractors for the remaining fields of the definitions table. */
export const MORE: ExtractorMap = {
  'evt.reltime': { type: 'RELTIME', desc: 'ns since the first event', extract: (ev) => ev.e.ts - (ev.st.firstTs ?? ev.e.ts) },
  'evt.reltime.s': { type: 'RELTIME', desc: 'seconds part', extract: (ev) => (ev.e.ts - (ev.st.firstTs ?? ev.e.ts)) / 1_000_000_000n },
  'evt.reltime.ns': { type: 'RELTIME', desc: 'ns part', extract: (ev) => (ev.e.ts - (ev.st.firstTs ?? ev.e.ts)) % 1_000_000_000n },
  'evt.deltatime': { type: 'RELTIME', desc: 'ns since the previous event', extract: (ev) => ev.e.ts - (ev.st.prevTs ?? ev.e.ts) },
  'evt.deltatime.s': { type: 'RELTIME', desc: 'seconds part', extract: (ev) => (ev.e.ts - (ev.st.prevTs ?? ev.e.ts)) / 1_000_000_000n },
  'evt.deltatime.ns': { type: 'RELTIME', desc: 'ns part', extract: (ev) => (ev.e.ts - (ev.st.prevTs ?? ev.e.ts)) % 1_000_000_000n },
  'evt.latency': { type: 'RELTIME', desc: 'enter to exit ns', extract: (ev) => (ev.e.enterTs !== undefined ? ev.e.ts - ev.e.enterTs : 0n) },
  'evt.latency.s': { type: 'RELTIME', desc: 'seconds part', extract: (ev) => (ev.e.enterTs !== undefined ? (ev.e.ts - ev.e.enterTs) / 1_000_000_000n : 0n) },
  'evt.latency.ns': { type: 'RELTIME', desc: 'ns part', extract: (ev) => (ev.e.enterTs !== undefined ? (ev.e.ts - ev.e.enterTs) % 1_000_000_000n : 0n) },
  'evt.latency.quantized': { type: 'UINT64', desc: 'log10 latency bucket', extract: (ev) => (ev.e.enterTs !== undefined ? Math.max(0, Math.floor(Math.log10(Number(ev.e.ts - ev.e.enterTs) + 1))) : 0) },
  'evt.latency.human': { type: 'CHARBUF', desc: 'latency for humans', extract: (ev) => (ev.e.enterTs !== undefined ? `${Number(ev.e.ts - ev.e.enterTs) / 1000}us` : '0ns') },
  'evt.wait_latency': { type: 'RELTIME', desc: 'time waited', extract: () => 0n },
  'evt.outputtime': { type: 'CHARBUF', desc: 'output time', extract: (ev) => ev.e.ts.toString() },
  'evt.pluginname': { type: 'CHARBUF', desc: 'plugin name', extract: () => undefined },
  'evt.plugininfo': { type: 'CHARBUF', desc: 'plugin info', extract: () => undefined },
  'evt.is_async': { type: 'BOOL', desc: 'async event', extract: (ev) => ev.e.info.name === 'asyncevent' },
  'evt.asynctype': { type: 'CHARBUF', desc: 'async event name', extract: (ev) => (ev.e.info.name === 'asyncevent' ? (ev.e.get('name') as string) : undefined) },
  'evt.type.is': { type: 'UINT32', arg: 'required-key', desc: '1 for that type', extract: (ev, arg) => (ev.e.type === arg ? 1 : 0) },
  'syscall.type': { type: 'CHARBUF', desc: 'system call name', extract: (ev) => (ev.e.info.category.includes('SYSCALL') ? ev.e.type : undefined) },
  'evt.io_dir': { type: 'CHARBUF', desc: 'r or w', extract: (ev) => (ev.e.info.category.includes('IO_READ') ? 'r' : ev.e.info.category.includes('IO_WRITE') ? 'w' : undefined) },
  'evt.count.error': { type: 'UINT32', desc: '1 for failed calls', extract: (ev) => ((num(ev.e.param(0)) ?? 0) < 0 && ev.e.info.dir === '<' ? 1 : 0) },
  'evt.count.error.file': { type: 'UINT32', desc: 'failed file calls', extract: (ev) => ((num(ev.e.param(0)) ?? 0) < 0 && ev.e.info.category.includes('FILE') ? 1 : 0) },
  'evt.count.error.net': { type: 'UINT32', desc: 'failed net calls', extract: (ev) => ((num(ev.e.param(0)) ?? 0) < 0 && ev.e.info.category.includes('NET') ? 1 : 0) },
  'evt.count.error.memory': { type: 'UINT32', desc: 'failed memory calls', extract: (ev) => ((num(ev.e.param(0)) ?? 0) < 0 && ev.e.info.category.includes('MEMORY') ? 1 : 0) },
  'evt.count.error.other': { type: 'UINT32', desc: 'other failed calls', extract: (ev) => ((num(ev.e.param(0)) ?? 0) < 0 && !/FILE|NET|MEMORY/.test(ev.e.info.category) ? 1 : 0) },
  'evt.count.exit': { type: 'UINT32', desc: '1 for exit events', extract: (ev) => (ev.e.info.dir === '<' ? 1 : 0) },
  'evt.count.procinfo': { type: 'UINT32', desc: '1 for procinfo', extract: (ev) => (ev.e.info.name === 'procinfo' ? 1 : 0) },
  'evt.count.threadinfo': { type: 'UINT32', desc: '1 for procinfo', extract: (ev) => (ev.e.info.name === 'procinfo' ? 1 : 0) },
  'evt.abspath': { type: 'CHARBUF', arg: 'optional-key', desc: 'absolute path argument', extract: (ev) => fsAbs(ev, PATH_KEYS) ?? fsAbs(ev, TARGET_KEYS) },
  'evt.buflen.in': { type: 'UINT64', desc: 'bytes read', extract: (ev) => ioBytes(ev, 'in', undefined) },
  'evt.buflen.out': { type: 'UINT64', desc: 'bytes written', extract: (ev) => ioBytes(ev, 'out', undefined) },
  'evt.buflen.file': { type: 'UINT64', desc: 'file bytes', extract: (ev) => ioBytes(ev, undefined, 'file') },
  'evt.buflen.file.in': { type: 'UINT64', desc: 'file bytes read', extract: (ev) => ioBytes(ev, 'in', 'file') },
  'evt.buflen.file.out': { type: 'UINT64', desc: 'file bytes written', extract: (ev) => ioBytes(ev, 'out', 'file') },
  'evt.buflen.net': { type: 'UINT64', desc: 'network bytes', extract: (ev) => ioBytes(ev, undefined, 'net') },
  'evt.buflen.net.in': { type: 'UINT64', desc: 'network bytes read', extract: (ev) => ioBytes(ev, 'in', 'net') },
  'evt.buflen.net.out': { type: 'UINT64', desc: 'network bytes written', extract: (ev) => ioBytes(ev, 'out', 'net') },
  'proc.aargs': ancestorField('CHARBUF', 'ancestor args', (t) => t.args.join(' ')),
  'proc.aenv': ancestorEnv(),
  'proc.pvpid': { type: 'INT64', desc: 'parent vpid', extract: (ev) => { const p = proc(ev); const pp = p && parent(ev, p); return pp?.vpid; } },
  'proc.sid.exe': { type: 'CHARBUF', desc: 'session leader exe', extract: of((p, ev) => ev.st.thread(p.sid)?.exe) },
  'proc.sid.exepath': { type: 'CHARBUF', desc: 'session leader exe path', extract: of((p, ev) => ev.st.thread(p.sid)?.exepath) },
  'proc.pgid': { type: 'INT64', desc: 'process group id', extract: of((p) => p.vpgid) },
  'proc.pgid.name': { type: 'CHARBUF', desc: 'process group leader name', extract: (ev) => pgLeader(ev)?.comm },
  'proc.pgid.exe': { type: 'CHARBUF', desc: 'process group leader exe', extract: (ev) => pgLeader(ev)?.exe },
  'proc.pgid.exepath': { type: 'CHARBUF', desc: 'process group leader exe path', extract: (ev) => pgLeader(ev)?.exepath },
  'proc.is_pgid_leader': { type: 'BOOL', desc: 'leads its process group', extract: of((p) => p.vpgid >= 0 && p.pid === p.vpgid) },
  'proc.ppid.duration': { type: 'RELTIME', desc: 'ns since the parent started', extract: (ev) => { const p = proc(ev); const pp = p && parent(ev, p); return pp?.cloneTs !== undefined ? ev.e.ts - pp.cloneTs : undefined; } },
  'proc.pid.ts': { type: 'ABSTIME', desc: 'process start time', extract: of((p) => p.cloneTs) },
  'proc.ppid.ts': { type: 'ABSTIME', desc: 'parent start time', extract: (ev) => { const p = proc(ev); return p ? parent(ev, p)?.cloneTs : undefined; } },
  'proc.is_exe_lower_layer': { type: 'BOOL', desc: 'executable in a lower layer', extract: of((p) => ((p.exeFlags ?? 0) & 8) !== 0) },
  'proc.exe_ino': { type: 'INT64', desc: 'executable inode', extract: of((p) => p.exeIno) },
  'proc.exe_ino.ctime': { type: 'ABSTIME', desc: 'executable ctime', extract: of((p) => p.exeInoCtime) },
  'proc.exe_ino.mtime': { type: 'ABSTIME', desc: 'executable mtime', extract: of((p) => p.exeInoMtime) },
  'proc.exe_ino.ctime_duration_proc_start': { type: 'ABSTIME', desc: 'ctime to start', extract: of((p) => (p.exeInoCtime !== undefined && p.cloneTs !== undefined ? p.cloneTs - p.exeInoCtime : undefined)) },
  'proc.exe_ino.ctime_duration_pidns_start': { type: 'ABSTIME', desc: 'pidns start to ctime', extract: () => undefined },
  'proc.pidns_init_start_ts': { type: 'UINT64', desc: 'pid namespace start', extract: () => undefined },
  'proc.fdopencount': { type: 'UINT64', desc: 'open fds', extract: of((p) => p.fds.size) },
  'proc.fdlimit': { type: 'INT64', desc: 'fd limit', extract: of((p) => p.fdlimit) },
  'proc.fdusage': { type: 'DOUBLE', desc: 'fd usage %', extract: of((p) => (p.fdlimit > 0 ? (100 * p.fds.size) / p.fdlimit : undefined)) },
  'proc.vmsize': { type: 'UINT64', desc: 'virtual memory KB', extract: of((p) => p.vmsizeKb) },
  'proc.vmrss': { type: 'UINT64', desc: 'resident memory KB', extract: of((p) => p.vmrssKb) },
  'proc.vmswap': { type: 'UINT64', desc: 'swapped memory KB', extract: of((p) => p.vmswapKb) },
  'proc.nthreads': { type: 'UINT64', desc: 'threads of the process', extract: of((p, ev) => { let n = 0; for (const t of ev.st.threads.values()) if (t.pid === p.pid) n++; return n; }) },
  'proc.nchilds': { type: 'UINT64', desc: 'child threads', extract: of((p, ev) => { let n = 0; for (const t of ev.st.threads.values()) if (t.pid === p.pid && t.tid !== p.tid) n++; return n; }) },
  'proc.stdin.type': { type: 'CHARBUF', desc: 'stdin type', extract: stdStream(0, 'type') },
  'proc.stdout.type': { type: 'CHARBUF', desc: 'stdout type', extract: stdStream(1, 'type') },
  'proc.stderr.type': { type: 'CHARBUF', desc: 'stderr type', extract: stdStream(2, 'type') },
  'proc.stdin.name': { type: 'CHARBUF', desc: 'stdin name', extract: stdStream(0, 'name') },
  'proc.stdout.name': { type: 'CHARBUF', desc: 'stdout name', extract: stdStream(1, 'name') },
  'proc.stderr.name': { type: 'CHARBUF', desc: 'stderr name', extract: stdStream(2, 'name') },
  'proc.is_container_healthcheck': { type: 'BOOL', desc: 'health check process', extract: () => false },
  'proc.is_container_liveness_probe': { type: 'BOOL', desc: 'liveness probe process', extract: () => false },
  'proc.is_container_readiness_probe': { type: 'BOOL', desc: 'readiness probe process', extract: () => false },
  'thread.nametid': { type: 'CHARBUF', desc: 'name and tid', extract: (ev) => (ev.thread ? `${ev.thread.comm}${ev.thread.tid}` : undefined) },
  'thread.exectime': { type: 'RELTIME', desc: 'cpu time of the last slice', extract: () => undefined },
  'thread.totexectime': { type: 'RELTIME', desc: 'total cpu time', extract: () => undefined },
  'thread.cgroups': { type: 'CHARBUF', desc: 'all cgroups', extract: (ev) => ev.thread?.cgroups.join(' ') },
  'thread.cgroup': { type: 'CHARBUF', arg: 'required-key', desc: 'cgroup of one subsystem', extract: (ev, arg) => { const c = ev.thread?.cgroups.find((x) => x.startsWith(`${arg}=`)); return c?.slice(c.indexOf('=') + 1); } },
  'thread.cpu': { type: 'DOUBLE', desc: 'cpu', extract: () => undefined },
  'thread.cpu.user': { type: 'DOUBLE', desc: 'user cpu', extract: () => undefined },
  'thread.cpu.system': { type: 'DOUBLE', desc: 'system cpu', extract: () => undefined },
  'thread.vmsize': { type: 'UINT64', desc: 'virtual memory KB', extract: (ev) => ev.thread?.vmsizeKb },
  'thread.vmrss': { type: 'UINT64', desc: 'resident memory KB', extract: (ev) => ev.thread?.vmrssKb },
  'thread.vmsize.b': { type: 'UINT64', desc: 'virtual memory bytes', extract: (ev) => (ev.thread?.vmsizeKb !== undefined ? ev.thread.vmsizeKb * 1024 : undefined) },
  'thread.vmrss.b': { type: 'UINT64', desc: 'resident memory bytes', extract: (ev) => (ev.thread?.vmrssKb !== undefined ? ev.thread.vmrssKb * 1024 : undefined) },
  'thread.pfmajor': { type: 'UINT64', desc: 'major faults', extract: () => undefined },
  'thread.pfminor': { type: 'UINT64', desc: 'minor faults', extract: () => undefined },
  'fd.uid': { type: 'CHARBUF', desc: 'tid + fd', extract: (ev) => (ev.fd && ev.thread ? `${ev.thread.tid}${ev.fd.fd}` : undefined) },
  'fd.proto': { type: 'PORT', desc: 'protocol', extract: () => undefined },
  'fd.cproto': { type: 'CHARBUF', desc: 'client protocol', extract: () => undefined },
  'fd.sproto': { type: 'CHARBUF', desc: 'server protocol', extract: () => undefined },
  'fd.lproto': { type: 'CHARBUF', desc: 'local protocol', extract: () => undefined },
  'fd.rproto': { type: 'CHARBUF', desc: 'remote protocol', extract: () => undefined },
  'fd.dev.major': { type: 'UINT32', desc: 'device major', extract: (ev) => (ev.fd?.dev !== undefined ? ev.fd.dev >>> 20 : undefined) },
  'fd.dev.minor': { type: 'UINT32', desc: 'device minor', extract: (ev) => (ev.fd?.dev !== undefined ? ev.fd.dev & 0xfffff : undefined) },
  'fd.types': {
    type: 'CHARBUF', isList: true, arg: 'optional-index', desc: 'types of the open fds',
    extract: (ev, arg) => {
      const p = proc(ev);
      if (!p) return undefined;
      if (arg !== undefined) { const f = p.fds.get(Number(arg)); return f ? FD_TYPE_NAMES[f.kind] || undefined : undefined; }
      return [...new Set([...p.fds.values()].map((f) => FD_TYPE_NAMES[f.kind]).filter((x) => x))];
    },
  },
  // the open's flags carry PPM_FD_UPPER_LAYER (1 << 15) / PPM_FD_LOWER_LAYER (1 << 16) for overlayfs files
  'fd.is_upper_layer': { type: 'BOOL', desc: 'file in an upper layer', extract: (ev) => (ev.fd ? ((ev.fd.openFlags ?? 0) & (1 << 15)) !== 0 : undefined) },
  'fd.is_lower_layer': { type: 'BOOL', desc: 'file in a lower layer', extract: (ev) => (ev.fd ? ((ev.fd.openFlags ?? 0) & (1 << 16)) !== 0 : undefined) },
  'fdlist.nums': { type: 'CHARBUF', desc: 'poll fds', extract: (ev) => { const l = ev.e.get('fds'); return Array.isArray(l) ? (l as { fd: number }[]).map((x) => x.fd).join(',') : undefined; } },
  'fdlist.names': { type: 'CHARBUF', desc: 'poll fd names', extract: (ev) => { const l = ev.e.get('fds'); return Array.isArray(l) ? (l as { fd: number }[]).map((x) => ev.thread?.fds.get(x.fd)?.name ?? '').join(',') : undefined; } },
  'fdlist.cips': { type: 'CHARBUF', desc: 'poll client ips', extract: () => undefined },
  'fdlist.sips': { type: 'CHARBUF', desc: 'poll server ips', extract: () => undefined },
  'fdlist.cports': { type: 'CHARBUF', desc: 'poll client ports', extract: () => undefined },
  'fdlist.sports': { type: 'CHARBUF', desc: 'poll server ports', extract: () => undefined },
  'k8s.pod.ip': { type: 'CHARBUF', desc: 'pod ip', extract: (ev) => { const id = ev.thread?.containerId; return id && id !== 'host' ? ev.st.containers.get(id)?.ip : undefined; } },
  'k8s.pod.cni.json': { type: 'CHARBUF', desc: 'CNI result', extract: (ev) => { const id = ev.thread?.containerId; return id && id !== 'host' ? ev.st.containers.get(id)?.cniJson : undefined; } },
  'fs.path.name': { type: 'CHARBUF', desc: 'path, absolute', extract: (ev) => fsAbs(ev, PATH_KEYS) },
  'fs.path.nameraw': { type: 'CHARBUF', desc: 'path as passed', extract: (ev) => fsRaw(ev, PATH_KEYS) },
  'fs.path.source': { type: 'CHARBUF', desc: 'source path, absolute', extract: (ev) => fsAbs(ev, SOURCE_KEYS) },
  'fs.path.sourceraw': { type: 'CHARBUF', desc: 'source path as passed', extract: (ev) => fsRaw(ev, SOURCE_KEYS) },
  'fs.path.target': { type: 'CHARBUF', desc: 'target path, absolute', extract: (ev) => fsAbs(ev, TARGET_KEYS) },
  'fs.path.targetraw': { type: 'CHARBUF', desc: 'target path as passed', extract: (ev) => fsRaw(ev, TARGET_KEYS) },
};

// cluster objects beyond the pod come from the Kubernetes API, not from captures: <NA>
for (const kind of ['rc', 'svc', 'ns', 'rs', 'deployment']) {
  for (const suffix of ['name', 'id', 'label', 'labels']) {
    const name = `k8s.${kind}.${suffix}`;
    if (name === 'k8s.ns.name' || MORE[name]) continue;
    MORE[name] = { type: 'CHARBUF', arg: suffix === 'label' ? 'required-key' : undefined, desc: `${kind} ${suffix}`, extract: () => undefined };
  }
}
for (const n of ['evt.infra.docker.name', 'evt.infra.docker.container.id', 'evt.infra.docker.container.name', 'evt.infra.docker.container.image']) {
  MORE[n] = { type: 'CHARBUF', desc: 'docker infrastructure event', extract: () => undefined };
}
