/**
 * Event-driven state updates with libsinsp's semantics: processes (clone family, execve,
 * procexit, credentials, cwd) and file descriptors (open family, sockets, pipes, dup,
 * close, special fds), plus container and user meta-events. Exit events of old captures
 * get their missing parameters from the thread's preceding enter event.
 * @module
 */
import { AF, FDT, type ScapEvent, type SockAddr, type SockTuple } from '../scap/index.ts';
import { callerCreatesChild, childCreatesItself, noteThreadExit } from './clone.ts';
import { containerFromCgroups, containerFromEvent, containerFromJson } from './containers.ts';
import { endpoint, tupleName, unixName } from './net.ts';
import { AT_FDCWD, resolvePath } from './paths.ts';
import type { SyscallState } from './state.ts';
import { FdTable } from './fd-table.ts';
import { newFd, type FdInfo, type ThreadInfo } from './types.ts';

/** PPM open flag bits used by state. */
const O_DIRECTORY = 1 << 10;
const O_CLOEXEC = 1 << 12;
const CL_CLONE_FILES = 1 << 0;
const CL_CLONE_THREAD = 1 << 13;

type Handler = (st: SyscallState, e: ScapEvent, t: ThreadInfo | undefined) => void;

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : undefined);
const list = (v: unknown): string[] | undefined => {
  if (!Buffer.isBuffer(v)) return typeof v === 'string' ? [v] : undefined;
  const parts = v.toString('utf8').split('\0');
  if (parts.length && parts[parts.length - 1] === '') parts.pop();
  return parts;
};

/** The fd an event refers to (created fds for creating exits), or undefined. */
export function eventFdNumber(e: ScapEvent): number | undefined {
  const v = num(e.get('fd') ?? e.get('fd1'));
  if (v !== undefined) return v;
  const first = e.info.params[0];
  // creating syscalls return the new fd in `res` (dup family, eventfd, epoll_create, ...)
  if (e.dir === '<' && first?.name === 'res' && (first.type === 14 || e.info.flags & 2)) return num(e.param(0));
  return undefined;
}

function addFd(st: SyscallState, t: ThreadInfo, fd: FdInfo): void {
  t.fds.set(fd.fd, fd);
  st.counters.fdsAdded++;
}

function dirOf(t: ThreadInfo, dirfd: number | undefined): string {
  if (dirfd === undefined || dirfd === AT_FDCWD) return t.cwd;
  return t.fds.get(dirfd)?.name ?? '';
}

const onOpen: Handler = (st, e, t) => {
  if (!t) return;
  const fd = num(e.get('fd'));
  if (fd === undefined || fd < 0) return;
  const raw = str(e.get('name') ?? e.get('path')) ?? '';
  const dirfd = num(e.get('dirfd'));
  const flags = num(e.get('flags')) ?? 0;
  const name = e.type === 'open' || e.type === 'creat' ? resolvePath(t.cwd, raw) : resolvePath(dirOf(t, dirfd), raw);
  const f = newFd(fd, flags & O_DIRECTORY ? FDT.DIRECTORY : FDT.FILE, name);
  f.nameRaw = raw;
  f.openFlags = flags;
  f.ino = num(e.get('ino'));
  f.dev = num(e.get('dev'));
  addFd(st, t, f);
};

function kindOfFamily(f: number | undefined): number {
  return f === AF.INET ? FDT.IPV4_SOCK : f === AF.INET6 ? FDT.IPV6_SOCK : f === AF.UNIX ? FDT.UNIX_SOCK : f === AF.NETLINK ? FDT.NETLINK : FDT.UNSUPPORTED;
}

const onSocket: Handler = (st, e, t) => {
  const fd = num(e.get('fd'));
  if (!t || fd === undefined || fd < 0) return;
  const family = num(e.get('domain'));
  const f = newFd(fd, kindOfFamily(family), '');
  f.family = family;
  f.socketL4 = l4Of(num(e.get('type')), num(e.get('proto')));
  addFd(st, t, f);
};

/** scap_l4_proto from socket(2) type/protocol: TCP=2, UDP=3, ICMP=4, RAW=5. */
function l4Of(type: number | undefined, proto: number | undefined): number {
  if (proto === 1 || proto === 58) return 4;
  switch ((type ?? 0) & 0xf) {
    case 1: return 2;
    case 2: return proto === 0 || proto === 17 || proto === undefined ? 3 : 3;
    case 3: return 5;
    default: return 0;
  }
}

/** A datagram send: an unconnected socket takes the send's tuple. */
const onSendDatagram: Handler = (st, e, t) => {
  const fd = num(e.get('fd'));
  const tp = e.get('tuple') as SockTuple | undefined;
  if (!t || fd === undefined || fd < 0 || tp === undefined) return;
  const info = t.fds.get(fd);
  if (!info) return;
  // an unconnected datagram socket takes the destination of its first send as its tuple
  if ((num(e.param(0)) ?? -1) >= 0 && info.name === '' && (info.kind === FDT.IPV4_SOCK || info.kind === FDT.IPV6_SOCK) && typeof tp === 'object' && 'family' in tp && (tp.family === AF.INET || tp.family === AF.INET6) && tp.dip !== undefined) {
    const zero = tp.sip === 0 || tp.sip === 0n;
    applyTuple(info, { ...tp, sip: zero ? tp.dip : tp.sip });
  }
};

const onSocketpair: Handler = (st, e, t) => {
  if (!t || (num(e.get('res')) ?? -1) < 0) return;
  const src = BigInt(num(e.get('source')) ?? 0);
  const peer = BigInt(num(e.get('peer')) ?? 0);
  const kind = kindOfFamily(num(e.get('domain')));
  for (const k of ['fd1', 'fd2']) {
    const fd = num(e.get(k));
    if (fd !== undefined && fd >= 0) addFd(st, t, newFd(fd, kind, kind === FDT.UNIX_SOCK ? unixName(src, peer, '') : ''));
  }
};

function applyTuple(fd: FdInfo, tp: SockTuple): void {
  if (tp.family === AF.INET || tp.family === AF.INET6) {
    // libsinsp learns the protocol when the socket gets its endpoints
    if (fd.l4proto === undefined || fd.l4proto === 0) fd.l4proto = fd.socketL4 || 2;
    fd.kind = tp.family === AF.INET ? FDT.IPV4_SOCK : FDT.IPV6_SOCK;
    fd.sip = tp.sip;
    fd.sport = tp.sport;
    fd.dip = tp.dip;
    fd.dport = tp.dport;
    fd.name = tupleName(tp.sip!, tp.sport!, tp.dip!, tp.dport!);
  } else if (tp.family === AF.UNIX) {
    fd.kind = FDT.UNIX_SOCK;
    fd.path = tp.path;
    fd.name = unixName(tp.source ?? 0n, tp.dest ?? 0n, tp.path ?? '');
  }
}

const onConnect: Handler = (st, e, t) => {
  const fd = num(e.get('fd'));
  const tp = e.get('tuple') as SockTuple | undefined;
  if (!t || fd === undefined || fd < 0 || !tp || typeof tp !== 'object' || !('family' in tp)) return;
  const res = num(e.get('res')) ?? 0;
  if (res < 0 && res !== -115) return; // failed connects (other than EINPROGRESS) leave the fd as it was
  let info = t.fds.get(fd);
  if (!info) addFd(st, t, (info = newFd(fd, kindOfFamily(tp.family), '')));
  applyTuple(info, tp);
};

const onAccept: Handler = (st, e, t) => {
  const fd = num(e.get('fd'));
  const tp = e.get('tuple') as SockTuple | undefined;
  if (!t || fd === undefined || fd < 0) return;
  const info = newFd(fd, tp ? kindOfFamily(tp.family) : FDT.UNSUPPORTED, '');
  info.server = true;
  if (tp && typeof tp === 'object' && 'family' in tp) applyTuple(info, tp);
  addFd(st, t, info);
};

const onBind: Handler = (st, e, t) => {
  const fd = num(e.get('fd'));
  const addr = e.get('addr') as SockAddr | undefined;
  if (!t || fd === undefined || (num(e.get('res')) ?? -1) < 0 || !addr || typeof addr !== 'object' || !('family' in addr)) return;
  let info = t.fds.get(fd);
  if (!info) addFd(st, t, (info = newFd(fd, kindOfFamily(addr.family), '')));
  info.server = true;
  if ((addr.family === AF.INET || addr.family === AF.INET6) && addr.addr !== undefined) {
    if (!info.l4proto) info.l4proto = info.socketL4 || 2;
    info.sip = addr.addr;
    info.sport = addr.port;
    info.name = endpoint(addr.addr, addr.port ?? 0);
  } else if (addr.family === AF.UNIX) {
    info.path = addr.path;
    info.name = addr.path ?? '';
  }
};

const onListen: Handler = (_st, e, t) => {
  const fd = num(e.get('fd'));
  const info = fd !== undefined ? t?.fds.get(fd) : undefined;
  if (info) info.server = true;
};

const onClose: Handler = (st, e, t) => {
  const fd = num(e.get('fd'));
  if (!t || fd === undefined || (num(e.get('res')) ?? 0) < 0) return;
  if (t.fds.delete(fd)) st.counters.fdsRemoved++;
};

const onDup: Handler = (st, e, t) => {
  const res = num(e.param(0));
  if (!t || res === undefined || res < 0) return;
  const old = num(e.get('oldfd') ?? e.get('fd'));
  const src = old !== undefined ? t.fds.get(old) : undefined;
  if (src) addFd(st, t, { ...src, fd: res });
};

const onFcntl: Handler = (st, e, t) => {
  const cmd = num(e.get('cmd'));
  if (cmd !== 1 && cmd !== 26) return; // F_DUPFD, F_DUPFD_CLOEXEC
  const res = num(e.param(0));
  const src = t?.fds.get(num(e.get('fd')) ?? -1);
  if (t && src && res !== undefined && res >= 0) addFd(st, t, { ...src, fd: res });
};

const onPipe: Handler = (st, e, t) => {
  if (!t || (num(e.get('res')) ?? -1) < 0) return;
  const ino = e.get('ino');
  for (const k of ['fd1', 'fd2']) {
    const fd = num(e.get(k));
    if (fd === undefined || fd < 0) continue;
    const f = newFd(fd, FDT.FIFO, '');
    f.ino = num(ino);
    addFd(st, t, f);
  }
};

function special(kind: number, nameOf?: (e: ScapEvent) => string): Handler {
  return (st, e, t) => {
    const fd = eventFdNumber(e);
    if (!t || fd === undefined || fd < 0) return;
    addFd(st, t, newFd(fd, kind, nameOf ? nameOf(e) : ''));
  };
}

const onChdir: Handler = (_st, e, t) => {
  if (!t || (num(e.get('res')) ?? -1) < 0) return;
  if (e.type === 'fchdir') {
    const d = t.fds.get(num(e.get('fd')) ?? -1);
    if (d) t.cwd = d.name;
  } else {
    t.cwd = resolvePath(t.cwd, str(e.get('path')) ?? '');
  }
  // the cwd is per process: keep the main thread in sync
};

const onSetuid: Handler = (_st, e, t) => {
  if (!t || (num(e.get('res')) ?? -1) !== 0) return;
  const v = num(e.get('euid') ?? e.get('uid'));
  if (v !== undefined && v !== 0xffffffff && v !== -1) t.uid = v;
};

const onSetgid: Handler = (_st, e, t) => {
  if (!t || (num(e.get('res')) ?? -1) !== 0) return;
  const v = num(e.get('egid') ?? e.get('gid'));
  if (v !== undefined && v !== 0xffffffff && v !== -1) t.gid = v;
};

const onSetsid: Handler = (_st, e, t) => {
  const res = num(e.param(0));
  if (t && res !== undefined && res >= 0) t.sid = res;
};

const onClone: Handler = (st, e, t) => {
  const res = num(e.param(0));
  if (res === undefined || res < 0) return;
  const flags = num(e.get('flags')) ?? 0;
  const pTid = num(e.get('tid')) ?? e.tid;
  const pPid = num(e.get('pid')) ?? pTid;
  const pPtid = num(e.get('ptid')) ?? 0;
  let childTid: number, childPid: number, childPtid: number, parent: ThreadInfo | undefined;
  if (res === 0) {
    // child side: the event describes the child itself
    childTid = e.tid;
    if (!childCreatesItself(st, e)) return;
    childPid = pPid;
    childPtid = pPtid;
    parent = st.thread(childPtid);
  } else {
    childTid = res;
    // caller side: res is the child's tid (see clone.ts for when the child's own event decides)
    if (!callerCreatesChild(st, e, t, childTid)) return;
    parent = t;
    const isThread = (flags & CL_CLONE_THREAD) !== 0;
    childPid = isThread ? pPid : res;
    // like libsinsp, a new thread's parent is the thread that created it
    childPtid = pTid;
  }
  const cgroups = list(e.get('cgroups')) ?? parent?.cgroups ?? [];
  const c = containerFromCgroups(cgroups);
  st.noteContainer(c);
  const sameProcess = childPid === (parent?.pid ?? -1);
  const share = sameProcess || (flags & CL_CLONE_FILES) !== 0;
  const pfds = parent ? st.mainThread(parent).fds : undefined;
  st.putThread({
    tid: childTid, pid: childPid, ptid: childPtid,
    sid: parent?.sid ?? -1, vpgid: parent?.vpgid ?? -1,
    vtid: positive(res === 0 ? num(e.get('vtid')) : undefined) ?? childTid, vpid: positive(res === 0 ? num(e.get('vpid')) : undefined) ?? childPid,
    comm: str(e.get('comm')) ?? parent?.comm ?? '', exe: str(e.get('exe')) ?? parent?.exe ?? '',
    exepath: parent?.exepath ?? '', args: list(e.get('args')) ?? parent?.args ?? [],
    cwd: str(e.get('cwd')) ?? parent?.cwd ?? '/', env: parent?.env ?? [], cgroups, root: parent?.root ?? '/',
    uid: num(e.get('uid')) ?? parent?.uid ?? 0xffffffff, gid: num(e.get('gid')) ?? parent?.gid ?? 0xffffffff,
    loginuid: parent?.loginuid ?? 0xffffffff, tty: parent?.tty ?? 0, fdlimit: num(e.get('fdlimit')) ?? parent?.fdlimit ?? 0,
    capPermitted: parent?.capPermitted, capEffective: parent?.capEffective, capInheritable: parent?.capInheritable,
    containerId: c.id !== 'host' ? c.id : (parent?.containerId ?? 'host'),
    fds: share && pfds ? pfds : FdTable.copyOf(pfds),
    cloneTs: e.ts,
  });
};

const positive = (v: number | undefined): number | undefined => (v !== undefined && v > 0 ? v : undefined);

const onExecve: Handler = (st, e, t) => {
  if ((num(e.param(0)) ?? -1) !== 0) return;
  let th = t;
  if (!th) {
    th = {
      tid: e.tid, pid: num(e.get('pid')) ?? e.tid, ptid: num(e.get('ptid')) ?? 0, sid: -1, vpgid: -1, vtid: e.tid, vpid: e.tid,
      comm: '', exe: '', exepath: '', args: [], cwd: '/', env: [], cgroups: [], root: '/', uid: 0xffffffff, gid: 0xffffffff,
      loginuid: 0xffffffff, tty: 0, fdlimit: 0, containerId: 'host', fds: new FdTable(),
    };
    th = st.putThread(th);
  }
  if (th.incomplete) {
    // a thread first seen at its execve: the event names its process and parent
    th.pid = num(e.get('pid')) ?? th.pid;
    th.ptid = num(e.get('ptid')) ?? th.ptid;
  }
  th.incomplete = false;
  th.exe = str(e.get('exe')) ?? th.exe;
  th.args = list(e.get('args')) ?? [];
  th.comm = str(e.get('comm')) ?? th.exe.split('/').pop() ?? th.comm;
  const cwd = str(e.get('cwd'));
  if (cwd) th.cwd = cwd;
  const env = list(e.get('env'));
  if (env) th.env = env;
  const cg = list(e.get('cgroups'));
  if (cg) {
    th.cgroups = cg;
    const c = containerFromCgroups(cg);
    st.noteContainer(c);
    th.containerId = c.id;
  }
  const trusted = str(e.get('trusted_exepath'));
  const filename = str(e.get('filename'));
  th.exepath = trusted || (filename ? resolvePath(th.cwd, filename) : th.exe.startsWith('/') ? th.exe : '');
  for (const [k, key] of [['uid', 'uid'], ['gid', 'gid'], ['loginuid', 'loginuid'], ['tty', 'tty'], ['vpgid', 'vpgid']] as const) {
    const v = num(e.get(key));
    if (v !== undefined) (th as unknown as Record<string, number>)[k] = v;
  }
  // PPM_EXE_* flags: writable, overlay upper layer, memfd, overlay lower layer
  const xf = e.info.index.has('trusted_exepath') || e.info.index.has('exe_ino') ? num(e.get('flags')) : undefined;
  th.exeFlags = xf ?? 0;
  const ino = num(e.get('exe_ino'));
  if (ino !== undefined) th.exeIno = ino;
  const ct = e.get('exe_ino_ctime');
  if (typeof ct === 'number' || typeof ct === 'bigint') th.exeInoCtime = BigInt(ct);
  const mt = e.get('exe_ino_mtime');
  if (typeof mt === 'number' || typeof mt === 'bigint') th.exeInoMtime = BigInt(mt);
  const capP = e.get('cap_permitted');
  if (capP !== undefined) th.capPermitted = BigInt(capP as number | bigint);
  const capE = e.get('cap_effective');
  if (capE !== undefined) th.capEffective = BigInt(capE as number | bigint);
  const capI = e.get('cap_inheritable');
  if (capI !== undefined) th.capInheritable = BigInt(capI as number | bigint);
  // close-on-exec descriptors do not survive exec
  for (const [fd, info] of th.fds) if (info.openFlags && info.openFlags & O_CLOEXEC) th.fds.delete(fd);
};

const onProcexit: Handler = (st, e, t) => {
  if (!t) return;
  t.exited = true;
  noteThreadExit(st, e.tid, t.ptid, e.ts);
  st.pendingRemoval = e.tid;
};

const onContainer: Handler = (st, e) => {
  const json = e.get('json');
  const c =
    json !== undefined
      ? containerFromJson(str(json) ?? '')
      : containerFromEvent(str(e.get('id')) ?? '', num(e.get('type')) ?? 0, str(e.get('name')) ?? '', str(e.get('image')) ?? '');
  if (c && c.id) {
    st.containers.set(c.id, c);
    st.lastContainerId = c.id;
  }
};

const onUser: Handler = (st, e) => {
  const cid = str(e.get('container_id')) ?? '';
  if (e.type === 'useradded' || e.type === 'userdeleted') {
    const uid = num(e.get('uid')) ?? 0;
    if (e.type === 'userdeleted') st.users.delete(`${cid}:${uid}`);
    else st.users.set(`${cid}:${uid}`, { uid, gid: num(e.get('gid')) ?? 0, name: str(e.get('name')) ?? '', home: str(e.get('home')) ?? '', shell: str(e.get('shell')) ?? '' });
  } else {
    const gid = num(e.get('gid')) ?? 0;
    if (e.type === 'groupdeleted') st.groups.delete(`${cid}:${gid}`);
    else st.groups.set(`${cid}:${gid}`, { gid, name: str(e.get('name')) ?? '' });
  }
};

/** Exit-event handlers by evt.type. */
export const EXIT_HANDLERS: Record<string, Handler> = {
  open: onOpen, openat: onOpen, openat2: onOpen, creat: onOpen, open_by_handle_at: onOpen,
  socket: onSocket, socketpair: onSocketpair, connect: onConnect, accept: onAccept, accept4: onAccept,
  bind: onBind, listen: onListen, close: onClose, dup: onDup, dup2: onDup, dup3: onDup, fcntl: onFcntl,
  pipe: onPipe, pipe2: onPipe, sendmsg: onSendDatagram, sendto: onSendDatagram, recvmsg: onSendDatagram, recvfrom: onSendDatagram,
  eventfd: special(FDT.EVENT), eventfd2: special(FDT.EVENT), signalfd: special(FDT.SIGNALFD), signalfd4: special(FDT.SIGNALFD),
  timerfd_create: special(FDT.TIMERFD), inotify_init: special(FDT.INOTIFY), inotify_init1: special(FDT.INOTIFY),
  epoll_create: special(FDT.EVENTPOLL), epoll_create1: special(FDT.EVENTPOLL), userfaultfd: special(FDT.USERFAULTFD),
  io_uring_setup: special(FDT.IOURING), memfd_create: special(FDT.MEMFD, (e) => `memfd:${str(e.get('name')) ?? ''}`),
  pidfd_open: special(FDT.PIDFD), bpf: special(FDT.BPF),
  chdir: onChdir, fchdir: onChdir, setuid: onSetuid, setresuid: onSetuid, setgid: onSetgid, setresgid: onSetgid, setsid: onSetsid,
  clone: onClone, clone3: onClone, fork: onClone, vfork: onClone, execve: onExecve, execveat: onExecve,
};

/** Enter-direction handlers (meta-events and procexit, which have no exit). */
export const ENTER_HANDLERS: Record<string, Handler> = {
  procexit: onProcexit, container: onContainer, useradded: onUser, userdeleted: onUser, groupadded: onUser, groupdeleted: onUser,
};
