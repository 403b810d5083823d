/**
 * SyscallState: the thread/fd/user/container tables and their initialisation from the
 * capture's metadata blocks. Event-driven updates live in `update.ts`.
 * @module
 */
import type { FdEntry, MachineInfo, ProcEntry, UserEntry } from '../scap/index.ts';
import { FDT } from '../scap/index.ts';
import { containerFromCgroups } from './containers.ts';
import { endpoint, tupleName } from './net.ts';
import { FdTable } from './fd-table.ts';
import { newFd, shapedThread, type ContainerInfo, type FdInfo, type ThreadInfo, type UserInfo } from './types.ts';

/** Options of the state tables. */
export interface StateOptions {
  /** Maximum threads kept (Falco's thread_table_size); the oldest are evicted beyond it. */
  maxThreads?: number;
}

/** Counters exposed by the state engine. */
export interface StateCounters {
  threadsEvicted: number;
  threadsRemoved: number;
  fdsAdded: number;
  fdsRemoved: number;
}

/** The tables rebuilt from a capture or live stream. */
export class SyscallState {
  /** Threads by tid. Change it only through putThread/removeThread (thread() keeps a cache). */
  readonly threads = new Map<number, ThreadInfo>();
  private cachedTid = Number.NaN;
  private cachedThread: ThreadInfo | undefined;
  readonly users = new Map<string, UserInfo>();
  readonly groups = new Map<string, { gid: number; name: string }>();
  readonly containers = new Map<string, ContainerInfo>();
  readonly counters: StateCounters = { threadsEvicted: 0, threadsRemoved: 0, fdsAdded: 0, fdsRemoved: 0 };
  machine?: MachineInfo;
  /** The container named by the last container event (its container.* fields refer to it). */
  lastContainerId?: string;
  /** Timestamp of the first event (evt.reltime) and of the event before the current one (evt.deltatime). */
  firstTs?: bigint;
  prevTs?: bigint;
  lastTs?: bigint;
  /** Generic syscall names learned per capture: scap syscall ID → name. */
  readonly genericNames = new Map<number, string>();
  readonly maxThreads: number;
  /** A thread to drop before the next event (procexit keeps its thread for its own event). */
  pendingRemoval?: number;
  /** The input chunk the current events are read from (their `data`). */
  chunk?: Buffer;
  /** Threads whose lastEnter event still points into `chunk`: copied out when the chunk changes. */
  readonly enterInChunk: ThreadInfo[] = [];

  constructor(opts: StateOptions = {}) {
    this.maxThreads = opts.maxThreads ?? 262_144;
  }

  /** Adds or replaces a thread, evicting the oldest when the table is full; returns the stored thread (a shaped copy of `t`). */
  putThread(given: ThreadInfo): ThreadInfo {
    const t = shapedThread(given);
    if (!this.threads.has(t.tid) && this.threads.size >= this.maxThreads) {
      const oldest = this.threads.keys().next().value;
      if (oldest !== undefined) {
        this.removeThread(oldest);
        this.counters.threadsEvicted++;
      }
    }
    this.threads.set(t.tid, t);
    if (t.tid === this.cachedTid) this.cachedThread = t;
    return t;
  }

  /** Forgets a thread (exit or eviction). */
  removeThread(tid: number): void {
    this.threads.delete(tid);
    if (tid === this.cachedTid) this.cachedThread = undefined;
  }

  /**
   * The thread with this tid, if known. Consecutive events mostly come from one thread, so the last
   * answer is kept (putThread and removeThread keep it true).
   */
  thread(tid: number): ThreadInfo | undefined {
    if (tid === this.cachedTid) return this.cachedThread;
    const t = this.threads.get(tid);
    this.cachedTid = tid;
    this.cachedThread = t;
    return t;
  }

  /** The parent of a thread (by ptid), if known. */
  parent(t: ThreadInfo): ThreadInfo | undefined {
    if (t.ptid === t.tid || t.ptid <= 0) return undefined;
    return this.threads.get(t.ptid);
  }

  /** The main thread of a thread's process (itself when tid == pid or unknown). */
  mainThread(t: ThreadInfo): ThreadInfo {
    return t.tid === t.pid ? t : (this.threads.get(t.pid) ?? t);
  }

  /** User by uid, looked up in the container first, then on the host. */
  user(uid: number, containerId = 'host'): UserInfo | undefined {
    return (containerId !== 'host' ? this.users.get(`${containerId}:${uid}`) : undefined) ?? this.users.get(`:${uid}`);
  }

  /** Group by gid. */
  group(gid: number, containerId = 'host'): { gid: number; name: string } | undefined {
    return (containerId !== 'host' ? this.groups.get(`${containerId}:${gid}`) : undefined) ?? this.groups.get(`:${gid}`);
  }

  /** Process-list block entry → thread. */
  onProcess(p: ProcEntry): void {
    const main = p.tid !== p.pid ? this.threads.get(p.pid) : undefined;
    const c = containerFromCgroups(p.cgroups);
    this.noteContainer(c);
    this.putThread({
      tid: p.tid, pid: p.pid, ptid: p.ptid, sid: p.sid, vpgid: p.vpgid, vtid: p.vtid, vpid: p.vpid,
      comm: p.comm, exe: p.exe, exepath: p.exepath, args: p.args, cwd: p.cwd, env: p.env, cgroups: p.cgroups,
      root: p.root, uid: p.uid, gid: p.gid, loginuid: p.loginuid, tty: p.tty, fdlimit: Number(p.fdlimit),
      capPermitted: p.capPermitted, capEffective: p.capEffective, capInheritable: p.capInheritable,
      containerId: c.id, fds: main ? main.fds : new FdTable(), vmsizeKb: p.vmsizeKb, vmrssKb: p.vmrssKb, vmswapKb: p.vmswapKb,
    });
  }

  /** Fd-list block → the thread's fd table. */
  onFds(tid: number, fds: FdEntry[]): void {
    const t = this.threads.get(tid);
    if (!t) return;
    for (const f of fds) t.fds.set(f.fd, fdFromEntry(f));
  }

  /** User-list block entry. */
  onUser(u: UserEntry): void {
    const key = `${u.container ?? ''}:${u.kind === 'user' ? u.uid : u.gid}`;
    if (u.kind === 'user') this.users.set(key, { uid: u.uid, gid: u.gid, name: u.name, home: u.home, shell: u.shell });
    else this.groups.set(key, { gid: u.gid, name: u.name });
  }

  /**
   * Adds users and groups from /etc/passwd and /etc/group text (the host's, or a container
   * root's when `containerId` is given), as libsinsp does for live sessions.
   */
  importPasswd(passwd: string, group = '', containerId = ''): void {
    for (const line of passwd.split('\n')) {
      const f = line.split(':');
      if (f.length < 7 || line.startsWith('#')) continue;
      const uid = Number(f[2]);
      const gid = Number(f[3]);
      if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue;
      this.users.set(`${containerId}:${uid}`, { uid, gid, name: f[0], home: f[5], shell: f[6] });
    }
    for (const line of group.split('\n')) {
      const f = line.split(':');
      if (f.length < 3 || line.startsWith('#')) continue;
      const gid = Number(f[2]);
      if (Number.isInteger(gid)) this.groups.set(`${containerId}:${gid}`, { gid, name: f[0] });
    }
  }

  /** Registers a container seen through cgroups (metadata may arrive later via container events). */
  noteContainer(c: { id: string; fullId?: string; type?: string }): void {
    if (c.id === 'host' || this.containers.has(c.id)) return;
    this.containers.set(c.id, { id: c.id, fullId: c.fullId, type: c.type ?? 'docker' });
  }
}

/** Converts an fd-list entry to an FdInfo with Falco's fd.name. */
export function fdFromEntry(f: FdEntry): FdInfo {
  const fd = newFd(f.fd, f.kind, f.name);
  fd.ino = f.ino;
  switch (f.kind) {
    case FDT.IPV4_SOCK:
    case FDT.IPV6_SOCK:
      fd.sip = f.sip;
      fd.dip = f.dip;
      fd.sport = f.sport;
      fd.dport = f.dport;
      fd.l4proto = f.l4proto;
      fd.name = tupleName(f.sip!, f.sport!, f.dip!, f.dport!);
      break;
    case FDT.IPV4_SERVSOCK:
    case FDT.IPV6_SERVSOCK:
      fd.sip = f.sip;
      fd.sport = f.sport;
      fd.l4proto = f.l4proto;
      fd.server = true;
      fd.name = endpoint(f.sip!, f.sport!);
      break;
    case FDT.UNIX_SOCK:
      // process-list sockets keep the name the writer recorded (connects render src->dst path)
      fd.path = f.name;
      break;
    case FDT.FILE_V2:
      fd.kind = FDT.FILE;
      fd.openFlags = f.openFlags;
      fd.dev = f.dev;
      break;
  }
  return fd;
}
