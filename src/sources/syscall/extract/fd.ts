/**
 * fd.* extractors: names per fd type, directory/filename of files, client/server and
 * local/remote endpoints of sockets, protocol and family.
 * @module
 */
import { FDT } from '../scap/index.ts';
import { AT_FDCWD, FD_TYPE_CHARS, FD_TYPE_NAMES, resolvePath, type FdInfo, type SyscallEvent } from '../state/index.ts';
import type { Extractor, ExtractorMap } from './types.ts';
import { renderNamed } from './render.ts';

const L4 = ['unknown', '<NA>', 'tcp', 'udp', 'icmp', 'raw'];
const isFile = (f: FdInfo) => f.kind === FDT.FILE || f.kind === FDT.DIRECTORY || f.kind === FDT.FILE_V2;
const isIp = (f: FdInfo) => f.kind === FDT.IPV4_SOCK || f.kind === FDT.IPV6_SOCK || f.kind === FDT.IPV4_SERVSOCK || f.kind === FDT.IPV6_SERVSOCK;
const isTuple = (f: FdInfo) => (f.kind === FDT.IPV4_SOCK || f.kind === FDT.IPV6_SOCK) && f.dip !== undefined;

const withFd = (g: (f: FdInfo, ev: SyscallEvent) => ReturnType<Extractor>): Extractor => (ev) => (ev.fd ? g(ev.fd, ev) : undefined);

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return p;
  return i === 0 ? '/' : p.slice(0, i);
}

/** Client/server endpoint: on connected sockets the tuple's source is the client. */
const cip = (f: FdInfo) => (isTuple(f) ? f.sip : undefined);
const sip = (f: FdInfo) => (isTuple(f) ? f.dip : isIp(f) ? f.sip : undefined);
const cport = (f: FdInfo) => (isTuple(f) ? f.sport : undefined);
const sport = (f: FdInfo) => (isTuple(f) ? f.dport : isIp(f) ? f.sport : undefined);
/** Local/remote: a server-side (accepted) socket is local at the server end. */
const lip = (f: FdInfo) => (isTuple(f) ? (f.server ? f.dip : f.sip) : isIp(f) ? f.sip : undefined);
const rip = (f: FdInfo) => (isTuple(f) ? (f.server ? f.sip : f.dip) : undefined);
const lport = (f: FdInfo) => (isTuple(f) ? (f.server ? f.dport : f.sport) : isIp(f) ? f.sport : undefined);
const rport = (f: FdInfo) => (isTuple(f) ? (f.server ? f.sport : f.dport) : undefined);

/**
 * fd.name of an exit event whose fd is not in the table: like libsinsp, the path argument
 * of the event (a failed open names its file) or the empty string. openat joins the path to its
 * dirfd's directory and normalizes; open prints an absolute path as given.
 */
function nullFdName(ev: SyscallEvent): string | undefined {
  if (ev.fdNum === undefined || ev.e.info.dir !== '<') return undefined;
  const t = ev.e.info.name;
  if (t === 'openat' || t === 'openat2') {
    const v = ev.e.get('name');
    if (typeof v === 'string') return resolvePath(dirOfFd(ev, ev.e.get('dirfd')), v);
  }
  for (const k of ['name', 'path', 'pathname', 'filename']) {
    const v = ev.e.get(k);
    if (typeof v === 'string') return v.startsWith('/') || !ev.thread ? v : resolvePath(ev.thread.cwd, v);
  }
  return '';
}

/** The directory of a dirfd argument: the cwd for AT_FDCWD, else that fd's name ('' when unknown). */
function dirOfFd(ev: SyscallEvent, dirfd: unknown): string {
  const d = typeof dirfd === 'bigint' ? Number(dirfd) : dirfd;
  if (typeof d !== 'number' || d === AT_FDCWD) return ev.thread?.cwd ?? '';
  return ev.thread?.fds.get(d)?.name ?? '';
}

/** Duplicate path separators collapsed (the regex runs only when there is one: most paths have none). */
function squeezeSlashes(p: string): string {
  return p.includes('//') ? p.replace(/\/{2,}/g, '/') : p;
}

/**
 * fd.nameraw: the path argument of the open that made the fd, as given (libsinsp's m_name_raw,
 * only duplicate separators removed); '' for fds not opened by path. A failed openat names its
 * raw argument, a failed open its resolved path, as libsinsp does.
 */
function nameRaw(ev: SyscallEvent): string | undefined {
  if (ev.fd) return squeezeSlashes(ev.fd.nameRaw ?? '');
  if (ev.fdNum === undefined || ev.e.info.dir !== '<') return undefined;
  const t = ev.e.info.name;
  const raw = t === 'openat' || t === 'openat2' ? ev.e.get('name') : t === 'open_by_handle_at' ? ev.e.get('path') : undefined;
  if (typeof raw === 'string') return squeezeSlashes(raw);
  const n = t === 'open' || t === 'creat' ? nullFdName(ev) : '';
  return n === undefined ? undefined : squeezeSlashes(n);
}

/** A failed connect leaves the fd unchanged, but libsinsp names the attempted tuple on the event itself. */
function failedConnectName(ev: SyscallEvent): string | undefined {
  if (ev.e.info.name !== 'connect' || ev.e.info.dir !== '<') return undefined;
  const res = ev.e.get('res');
  if (typeof res !== 'number' || res >= 0 || res === -115) return undefined;
  const r = renderNamed(ev, 'tuple');
  return r && r.plain !== 'NULL' ? r.plain : undefined;
}

/** The client and server values of an IP socket fd (one value for a listening socket). */
function bothEnds(client: (f: FdInfo) => FdValue, server: (f: FdInfo) => FdValue): (ev: SyscallEvent) => FdValue[] | undefined {
  return (ev) => {
    const f = ev.fd;
    if (!f || !isIp(f)) return undefined;
    return [client(f), server(f)].filter((v) => v !== undefined);
  };
}
type FdValue = number | bigint | undefined;

/** fd.* extractors. */
export const FD: ExtractorMap = {
  'fd.num': { type: 'INT64', desc: 'fd number', extract: (ev) => ev.fdNum },
  'fd.type': { type: 'CHARBUF', desc: 'fd type', extract: withFd((f) => FD_TYPE_NAMES[f.kind] || undefined) },
  'fd.typechar': { type: 'CHARBUF', desc: 'fd type as a character', extract: withFd((f) => FD_TYPE_CHARS[f.kind]) },
  'fd.name': { type: 'CHARBUF', desc: 'fd name (path, tuple, ...)', extract: (ev) => (failedConnectName(ev) ?? (ev.fd ? ev.fd.name : nullFdName(ev))) },
  'fd.nameraw': { type: 'CHARBUF', desc: 'path as passed to open', extract: nameRaw },
  'fd.directory': { type: 'CHARBUF', desc: 'directory of a file fd', extract: withFd((f) => (f.kind === FDT.DIRECTORY ? f.name : isFile(f) ? dirname(f.name) : undefined)) },
  'fd.filename': { type: 'CHARBUF', desc: 'file name of a file fd', extract: withFd((f) => (isFile(f) && f.kind !== FDT.DIRECTORY ? f.name.slice(f.name.lastIndexOf('/') + 1) : undefined)) },
  'fd.containername': { type: 'CHARBUF', desc: 'container id + fd name', extract: withFd((f, ev) => `${ev.thread?.containerId ?? 'host'}:${f.name}`) },
  'fd.containerdirectory': { type: 'CHARBUF', desc: 'container id + directory', extract: withFd((f, ev) => (isFile(f) ? `${ev.thread?.containerId ?? 'host'}:${dirname(f.name)}` : undefined)) },
  'fd.ino': { type: 'INT64', desc: 'inode', extract: withFd((f) => (f.ino === undefined ? undefined : Number(f.ino))) },
  'fd.dev': { type: 'INT32', desc: 'device', extract: withFd((f) => f.dev) },
  'fd.cip': { type: 'IPADDR', desc: 'client ip', extract: withFd(cip) },
  'fd.sip': { type: 'IPADDR', desc: 'server ip', extract: withFd(sip) },
  'fd.lip': { type: 'IPADDR', desc: 'local ip', extract: withFd(lip) },
  'fd.rip': { type: 'IPADDR', desc: 'remote ip', extract: withFd(rip) },
  // fd.ip/fd.net/fd.port are filter fields comparing both ends: = and in hold when either end
  // matches, != when both differ; printed, they show the server end
  'fd.ip': { type: 'IPADDR', desc: 'client or server ip', extract: withFd((f) => sip(f) ?? cip(f)), anyOf: bothEnds(cip, sip), anyOfNotEqual: 'all' },
  'fd.cnet': { type: 'IPNET', desc: 'client network', extract: withFd(cip) },
  'fd.snet': { type: 'IPNET', desc: 'server network', extract: withFd(sip) },
  'fd.lnet': { type: 'IPNET', desc: 'local network', extract: withFd(lip) },
  'fd.rnet': { type: 'IPNET', desc: 'remote network', extract: withFd(rip) },
  'fd.net': { type: 'IPNET', desc: 'client or server network', extract: withFd((f) => sip(f) ?? cip(f)), anyOf: bothEnds(cip, sip), anyOfNotEqual: 'all' },
  'fd.cport': { type: 'PORT', desc: 'client port', extract: withFd(cport) },
  'fd.sport': { type: 'PORT', desc: 'server port', extract: withFd(sport) },
  'fd.lport': { type: 'PORT', desc: 'local port', extract: withFd(lport) },
  'fd.rport': { type: 'PORT', desc: 'remote port', extract: withFd(rport) },
  'fd.port': { type: 'PORT', desc: 'client or server port', extract: withFd((f) => sport(f) ?? cport(f)), anyOf: bothEnds(cport, sport), anyOfNotEqual: 'all' },
  'fd.l4proto': { type: 'CHARBUF', desc: 'tcp, udp, icmp or raw', extract: withFd((f) => (isIp(f) && f.l4proto ? L4[f.l4proto] : undefined)) },
  'fd.sockfamily': { type: 'CHARBUF', desc: 'ip or unix', extract: withFd((f) => (isIp(f) ? 'ip' : f.kind === FDT.UNIX_SOCK ? 'unix' : undefined)) },
  'fd.is_server': { type: 'BOOL', desc: 'server end of a connection', extract: withFd((f) => f.server === true) },
  'fd.connected': { type: 'BOOL', desc: 'connected socket', extract: withFd((f) => isTuple(f) || (f.kind === FDT.UNIX_SOCK && f.name.includes('->'))) },
  'fd.name_changed': { type: 'BOOL', desc: 'name changed by this event', extract: (ev) => (ev.fd ? ev.nameChanged === true : undefined) },
  'fd.cip.name': { type: 'CHARBUF', desc: 'client domain name', extract: () => undefined },
  'fd.sip.name': { type: 'CHARBUF', desc: 'server domain name', extract: () => undefined },
  'fd.lip.name': { type: 'CHARBUF', desc: 'local domain name', extract: () => undefined },
  'fd.rip.name': { type: 'CHARBUF', desc: 'remote domain name', extract: () => undefined },
};
