/**
 * The system state rebuilt from the event stream: threads, their fd tables, users, groups,
 * containers. Plain data; the state engine mutates it, extractors read it.
 * @module
 */
import type { ScapEvent } from '../scap/index.ts';
import type { FdTable } from './fd-table.ts';

/** fd.type names, indexed by libscap's scap_fd_type (FDT). */
export const FD_TYPE_NAMES = [
  '', 'file', 'directory', 'ipv4', 'ipv6', 'ipv4', 'ipv6', 'pipe', 'unix', 'event', '', 'signalfd',
  'eventpoll', 'inotify', 'timerfd', 'netlink', 'file', 'bpf', 'userfaultfd', 'io_uring', 'memfd', 'pidfd',
] as const;

/** fd.typechar values, indexed like FD_TYPE_NAMES. */
export const FD_TYPE_CHARS = ['?', 'f', 'd', '4', '6', '4', '6', 'p', 'u', 'e', 'o', 's', 'l', 'i', 't', 'n', 'f', 'b', 'u', 'r', 'm', 'P'];

/** One open file descriptor. */
export interface FdInfo {
  fd: number;
  /** libscap scap_fd_type (FDT.*). */
  kind: number;
  /** fd.name as Falco renders it (path, `sip:sport->dip:dport`, `pipe:[ino]`, ...). */
  name: string;
  /** fd.name without the socket address part for unix sockets; the path for files. */
  path?: string;
  /** The path argument exactly as the open call received it (fd.nameraw): not made absolute, `..` kept. */
  nameRaw?: string;
  openFlags?: number;
  ino?: number | bigint;
  dev?: number;
  sip?: number | bigint;
  dip?: number | bigint;
  sport?: number;
  dport?: number;
  l4proto?: number;
  /** Protocol implied by socket(2) (type/protocol), applied once the socket has endpoints. */
  socketL4?: number;
  /** True when the process is the server end (accept/listen/bind). */
  server?: boolean;
  /** Socket family of a fresh socket() before connect/bind. */
  family?: number;
}

/**
 * A new fd entry with every optional field present (undefined): all fd entries share one object
 * shape, so the extractors' property reads stay monomorphic instead of going megamorphic over
 * the file, socket, pipe and fd-list variants.
 */
export function newFd(fd: number, kind: number, name: string): FdInfo {
  return {
    fd, kind, name, path: undefined, nameRaw: undefined, openFlags: undefined, ino: undefined, dev: undefined, sip: undefined, dip: undefined,
    sport: undefined, dport: undefined, l4proto: undefined, socketL4: undefined, server: undefined, family: undefined,
  };
}

/** A thread (libsinsp threadinfo); threads of one process share `fds`. */
export interface ThreadInfo {
  tid: number;
  pid: number;
  ptid: number;
  sid: number;
  vpgid: number;
  vtid: number;
  vpid: number;
  comm: string;
  /** argv[0] as the kernel saw it (proc.exe). */
  exe: string;
  /** Full executable path (proc.exepath). */
  exepath: string;
  args: string[];
  cwd: string;
  env: string[];
  cgroups: string[];
  root: string;
  uid: number;
  gid: number;
  loginuid: number;
  tty: number;
  fdlimit: number;
  capPermitted?: bigint;
  capEffective?: bigint;
  capInheritable?: bigint;
  containerId: string;
  /** Clone time (ns) when seen, for proc.duration-style fields. */
  cloneTs?: bigint;
  /** Shared fd table of the process. */
  fds: FdTable;
  /**
   * The last enter event, for old captures whose exit events lack its parameters. `ev` is the
   * event itself until its input chunk ends, then a compact copy (see processEvent).
   */
  lastEnter?: { type: number; ev?: ScapEvent; fd?: number; ts: bigint };
  /** The fd of the thread's last fd-using enter event (libsinsp's lastevent_fd). */
  lastEventFd?: number;
  /** Created on the fly for an unknown tid: name, command line and user are unknown. */
  incomplete?: boolean;
  exited?: boolean;
  /** PPM_EXE_* flags of the last execve (1 writable, 2 upper layer, 4 memfd, 8 lower layer). */
  exeFlags?: number;
  exeIno?: number;
  exeInoCtime?: bigint;
  exeInoMtime?: bigint;
  vmsizeKb?: number;
  vmrssKb?: number;
  vmswapKb?: number;
}

/**
 * The thread with every field present, in one order: threads made from process lists, clones,
 * execs and placeholders then share one object shape, and the hot reads (t.fds, t.cwd, ...) stay
 * monomorphic.
 */
export function shapedThread(t: ThreadInfo): ThreadInfo {
  return {
    tid: t.tid, pid: t.pid, ptid: t.ptid, sid: t.sid, vpgid: t.vpgid, vtid: t.vtid, vpid: t.vpid, comm: t.comm, exe: t.exe,
    exepath: t.exepath, args: t.args, cwd: t.cwd, env: t.env, cgroups: t.cgroups, root: t.root, uid: t.uid, gid: t.gid,
    loginuid: t.loginuid, tty: t.tty, fdlimit: t.fdlimit, capPermitted: t.capPermitted, capEffective: t.capEffective,
    capInheritable: t.capInheritable, containerId: t.containerId, cloneTs: t.cloneTs, fds: t.fds, lastEnter: t.lastEnter,
    lastEventFd: t.lastEventFd, incomplete: t.incomplete, exited: t.exited, exeFlags: t.exeFlags, exeIno: t.exeIno,
    exeInoCtime: t.exeInoCtime, exeInoMtime: t.exeInoMtime, vmsizeKb: t.vmsizeKb, vmrssKb: t.vmrssKb, vmswapKb: t.vmswapKb,
  };
}

/** A container (container.* fields). */
export interface ContainerInfo {
  id: string;
  /** Full id when known. */
  fullId?: string;
  type: string;
  name?: string;
  image?: string;
  imageId?: string;
  imageRepository?: string;
  imageTag?: string;
  imageDigest?: string;
  privileged?: boolean;
  mounts?: { source: string; dest: string; mode?: string; rw?: boolean; propagation?: string }[];
  labels?: Record<string, string>;
  ip?: string;
  cniJson?: string;
  hostPid?: boolean;
  hostNetwork?: boolean;
  hostIpc?: boolean;
}

/** A user of the user list or user events. */
export interface UserInfo {
  uid: number;
  gid: number;
  name: string;
  home: string;
  shell: string;
}
