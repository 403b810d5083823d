/**
 * Parsers for the metadata blocks of a scap capture: machine info, process list (V1-V9),
 * fd list (V1/V2), user list (V1/V2) and interface list. Each parser reads one block body
 * and throws a BlockError (offset relative to the body) when an entry overruns it.
 * @module
 */
import { cstr, i64, u64 } from './params.ts';

/** Block type ids (libscap scap_savefile.h). */
export const BT = {
  SHB: 0x0a0d0d0a,
  MI: 0x201, MI_INT: 0x8002abcd,
  PL_V1: 0x202, PL_V1_INT: 0x8000abcd, PL_V2: 0x207, PL_V2_INT: 0x8013abcd, PL_V3: 0x209, PL_V3_INT: 0x8014abcd,
  PL_V4: 0x210, PL_V5: 0x211, PL_V6: 0x212, PL_V7: 0x213, PL_V8: 0x214, PL_V9: 0x215,
  FDL: 0x203, FDL_INT: 0x8001abcd, FDL_V2: 0x218,
  EV: 0x204, EV_INT: 0x8010abcd, EV_V2: 0x216, EV_V2_LARGE: 0x221,
  EVF: 0x208, EVF_V2: 0x217, EVF_V2_LARGE: 0x222,
  IL: 0x205, IL_INT: 0x8011abcd, IL_V2: 0x219,
  UL: 0x206, UL_INT: 0x8012abcd, UL_V2: 0x220,
} as const;

/** Proclist version of a block type, or 0 when it is not a proclist block. */
export function proclistVersion(t: number): number {
  switch (t) {
    case BT.PL_V1: case BT.PL_V1_INT: return 1;
    case BT.PL_V2: case BT.PL_V2_INT: return 2;
    case BT.PL_V3: case BT.PL_V3_INT: return 3;
    case BT.PL_V4: return 4;
    case BT.PL_V5: return 5;
    case BT.PL_V6: return 6;
    case BT.PL_V7: return 7;
    case BT.PL_V8: return 8;
    case BT.PL_V9: return 9;
    default: return 0;
  }
}

/** A malformed metadata block entry; `at` is relative to the block body. */
export class BlockError extends Error {
  constructor(message: string, readonly at: number) {
    super(message);
  }
}

/** Machine info block. */
export interface MachineInfo {
  numCpus: number;
  memorySizeBytes: number | bigint;
  maxPid: number | bigint;
  hostname: string;
  bootTs: number | bigint;
}

/** One process/thread of a proclist block. */
export interface ProcEntry {
  tid: number; pid: number; ptid: number; sid: number; vpgid: number;
  comm: string; exe: string; exepath: string;
  args: string[]; cwd: string; fdlimit: number | bigint; flags: number; uid: number; gid: number;
  vmsizeKb: number; vmrssKb: number; vmswapKb: number;
  env: string[]; vtid: number; vpid: number; cgroups: string[]; root: string;
  pidnsInitStartTs?: number | bigint; tty: number; loginuid: number;
  capInheritable?: bigint; capPermitted?: bigint; capEffective?: bigint;
}

/** One fd of an fdlist block. `kind` is libscap's scap_fd_type. */
export interface FdEntry {
  fd: number; ino: number | bigint; kind: number;
  sip?: number | bigint; dip?: number | bigint; sport?: number; dport?: number; l4proto?: number;
  source?: bigint; dest?: bigint;
  name: string; openFlags?: number; dev?: number;
}

/** One user or group of a user list block. */
export type UserEntry =
  | { kind: 'user'; uid: number; gid: number; name: string; home: string; shell: string; container?: string }
  | { kind: 'group'; gid: number; name: string; container?: string };

/** A small bounds-checked cursor over a block body. */
class Cur {
  constructor(readonly b: Buffer, public p: number, readonly end: number) {}
  need(n: number, what: string): void {
    if (this.p + n > this.end) throw new BlockError(`entry overruns the block reading ${what}`, this.p);
  }
  u8(w: string): number { this.need(1, w); return this.b[this.p++]; }
  u16(w: string): number { this.need(2, w); const v = this.b.readUInt16LE(this.p); this.p += 2; return v; }
  u32(w: string): number { this.need(4, w); const v = this.b.readUInt32LE(this.p); this.p += 4; return v; }
  u64(w: string): number | bigint { this.need(8, w); const v = u64(this.b, this.p); this.p += 8; return v; }
  big(w: string): bigint { this.need(8, w); const v = this.b.readBigUInt64LE(this.p); this.p += 8; return v; }
  i64(w: string): number { this.need(8, w); const v = i64(this.b, this.p); this.p += 8; return Number(v); }
  str(w: string): string { const n = this.u16(w); this.need(n, w); const s = cstr(this.b, this.p, this.p + n); this.p += n; return s; }
  list(w: string): string[] {
    const n = this.u16(w); this.need(n, w);
    const s = this.b.toString('utf8', this.p, this.p + n); this.p += n;
    const parts = s.split('\0');
    if (parts.length && parts[parts.length - 1] === '') parts.pop();
    return parts;
  }
}

/** Parses a machine info block body. */
export function parseMachineInfo(b: Buffer, s: number, e: number): MachineInfo {
  const c = new Cur(b, s, e);
  const numCpus = c.u32('num_cpus');
  const memorySizeBytes = c.u64('memory_size_bytes');
  const maxPid = c.u64('max_pid');
  c.need(128, 'hostname');
  const hostname = cstr(b, c.p, c.p + 128);
  c.p += 128;
  const bootTs = c.p + 8 <= e ? c.u64('boot_ts') : 0;
  return { numCpus, memorySizeBytes, maxPid, hostname, bootTs };
}

/** Parses a proclist block body of version v, calling `on` per entry. */
export function parseProclist(b: Buffer, s: number, e: number, v: number, on: (p: ProcEntry) => void): void {
  let p = s;
  while (e - p >= 4) {
    const c = new Cur(b, p, e);
    let subLen = 0;
    if (v >= 9) {
      subLen = c.u32('entry length');
      if (subLen < 4 || p + subLen > e) throw new BlockError(`bad proclist entry length ${subLen}`, p);
    }
    const entryEnd = subLen ? p + subLen : e;
    const ce = new Cur(b, c.p, entryEnd);
    const tid = ce.i64('tid'), pid = ce.i64('pid'), ptid = ce.i64('ptid');
    const sid = v >= 6 ? ce.i64('sid') : -1;
    const vpgid = v >= 8 ? ce.i64('vpgid') : -1;
    const comm = ce.str('comm'), exe = ce.str('exe');
    const exepath = v >= 7 ? ce.str('exepath') : '';
    const args = ce.list('args');
    const cwd = ce.str('cwd');
    const fdlimit = ce.u64('fdlimit');
    const flags = ce.u32('flags'), uid = ce.u32('uid'), gid = ce.u32('gid');
    let vmsizeKb = 0, vmrssKb = 0, vmswapKb = 0, vtid = -1, vpid = -1, root = '';
    let env: string[] = [], cgroups: string[] = [];
    if (v >= 2) {
      vmsizeKb = ce.u32('vmsize'); vmrssKb = ce.u32('vmrss'); vmswapKb = ce.u32('vmswap');
      ce.u64('pfmajor'); ce.u64('pfminor');
      if (v >= 3) env = ce.list('env');
      if (v >= 4) { vtid = ce.i64('vtid'); vpid = ce.i64('vpid'); cgroups = ce.list('cgroups'); }
      if (v >= 5) root = ce.str('root');
    }
    const entry: ProcEntry = {
      tid, pid, ptid, sid, vpgid, comm, exe, exepath, args, cwd, fdlimit, flags, uid, gid,
      vmsizeKb, vmrssKb, vmswapKb, env, vtid, vpid, cgroups, root, tty: 0, loginuid: 0xffffffff,
    };
    if (subLen) {
      const left = () => entryEnd - ce.p;
      // libs 0.10 inserted pidns_init_start_ts and tty mid-entry; older writers had <=29 bytes here
      if (left() > 29) {
        if (left() >= 8) entry.pidnsInitStartTs = ce.u64('pidns_init_start_ts');
        if (left() >= 4) entry.tty = ce.u32('tty');
      }
      if (left() >= 4) entry.loginuid = ce.u32('loginuid');
      if (left() >= 1) ce.u8('exe_writable');
      if (left() >= 8) entry.capInheritable = ce.big('cap_inheritable');
      if (left() >= 8) entry.capPermitted = ce.big('cap_permitted');
      if (left() >= 8) entry.capEffective = ce.big('cap_effective');
      p = entryEnd;
    } else {
      p = ce.p;
    }
    on(entry);
  }
}

/** libscap scap_fd_type values. */
export const FDT = {
  UNKNOWN: 0, FILE: 1, DIRECTORY: 2, IPV4_SOCK: 3, IPV6_SOCK: 4, IPV4_SERVSOCK: 5, IPV6_SERVSOCK: 6,
  FIFO: 7, UNIX_SOCK: 8, EVENT: 9, UNSUPPORTED: 10, SIGNALFD: 11, EVENTPOLL: 12, INOTIFY: 13,
  TIMERFD: 14, NETLINK: 15, FILE_V2: 16, BPF: 17, USERFAULTFD: 18, IOURING: 19, MEMFD: 20, PIDFD: 21,
} as const;

/** Parses an fdlist block body; returns the owning tid and its fds. */
export function parseFdlist(b: Buffer, s: number, e: number, v2: boolean): { tid: number; fds: FdEntry[] } {
  const head = new Cur(b, s, e);
  const tid = head.i64('tid');
  const fds: FdEntry[] = [];
  let p = head.p;
  while (e - p >= 4) {
    const c0 = new Cur(b, p, e);
    const subLen = v2 ? c0.u32('entry length') : 0;
    if (v2 && (subLen < 4 || p + subLen > e)) throw new BlockError(`bad fdlist entry length ${subLen}`, p);
    const end = subLen ? p + subLen : e;
    const c = new Cur(b, c0.p, end);
    const fd = c.i64('fd');
    const ino = c.u64('ino');
    const kind = c.u8('type');
    const f: FdEntry = { fd, ino, kind, name: '' };
    switch (kind) {
      case FDT.IPV4_SOCK:
        f.sip = b.readUInt32BE((c.need(4, 'sip'), c.p)); c.p += 4;
        f.dip = b.readUInt32BE((c.need(4, 'dip'), c.p)); c.p += 4;
        f.sport = c.u16('sport'); f.dport = c.u16('dport'); f.l4proto = c.u8('l4proto');
        break;
      case FDT.IPV4_SERVSOCK:
        f.sip = b.readUInt32BE((c.need(4, 'ip'), c.p)); c.p += 4;
        f.sport = c.u16('port'); f.l4proto = c.u8('l4proto');
        break;
      case FDT.IPV6_SOCK:
        c.need(32, 'ipv6 addresses');
        f.sip = (b.readBigUInt64BE(c.p) << 64n) | b.readBigUInt64BE(c.p + 8);
        f.dip = (b.readBigUInt64BE(c.p + 16) << 64n) | b.readBigUInt64BE(c.p + 24);
        c.p += 32;
        f.sport = c.u16('sport'); f.dport = c.u16('dport'); f.l4proto = c.u8('l4proto');
        break;
      case FDT.IPV6_SERVSOCK:
        c.need(16, 'ipv6 address');
        f.sip = (b.readBigUInt64BE(c.p) << 64n) | b.readBigUInt64BE(c.p + 8);
        c.p += 16;
        f.sport = c.u16('port'); f.l4proto = c.u8('l4proto');
        break;
      case FDT.UNIX_SOCK:
        f.source = c.big('source'); f.dest = c.big('dest'); f.name = c.str('name');
        break;
      case FDT.FILE_V2:
        f.openFlags = c.u32('open_flags'); f.name = c.str('name');
        if (subLen && end - c.p >= 4) f.dev = c.u32('dev');
        break;
      case FDT.UNKNOWN:
        break;
      default:
        if (kind <= FDT.PIDFD) f.name = c.str('name');
        else { f.kind = FDT.UNSUPPORTED; f.name = `unknown-type:[${kind}]`; }
    }
    p = subLen ? end : c.p;
    fds.push(f);
  }
  return { tid, fds };
}

/** Parses a user list block body. */
export function parseUserlist(b: Buffer, s: number, e: number, v2: boolean, on: (u: UserEntry) => void): void {
  let p = s;
  while (e - p >= 4) {
    const c0 = new Cur(b, p, e);
    const subLen = v2 ? c0.u32('entry length') : 0;
    if (v2 && (subLen < 5 || p + subLen > e)) throw new BlockError(`bad userlist entry length ${subLen}`, p);
    const end = subLen ? p + subLen : e;
    const c = new Cur(b, c0.p, end);
    const type = c.u8('type');
    if (type === 0) {
      const uid = c.u32('uid'), gid = c.u32('gid');
      const name = c.str('name'), home = c.str('home'), shell = c.str('shell');
      const container = subLen && end - c.p >= 2 ? c.str('container') : undefined;
      on({ kind: 'user', uid, gid, name, home, shell, container });
    } else {
      const gid = c.u32('gid');
      const name = c.str('name');
      const container = subLen && end - c.p >= 2 ? c.str('container') : undefined;
      on({ kind: 'group', gid, name, container });
    }
    p = subLen ? end : c.p;
  }
}
