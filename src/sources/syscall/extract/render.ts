/**
 * Rendering of event parameters as libsinsp does: each parameter has a plain string (the
 * number, path, address) and a resolved string (flag names, errno name, the fd's name, the
 * user name). `evt.arg.X` yields the resolved form when there is one; `evt.args` prints
 * `name=plain(resolved)`.
 * @module
 */
import { AF, EVENTS, FDT, PT, type ParamValue, type SockAddr, type SockTuple } from '../scap/index.ts';
import { AT_FDCWD, FD_TYPE_CHARS, endpoint, ipToString, resolvePath, tupleName, unixName, type FdInfo, type SyscallEvent } from '../state/index.ts';
import { ERRNO_NAMES, SIGNAL_NAMES, renderFlags, tableFor, type EnumTable, type FlagTable } from './flags.ts';

const NULL_WHEN_EMPTY = new Set<number>([PT.SOCKTUPLE, PT.FDLIST, PT.DYN]);
const BUFFERS = new Set<number>([PT.BYTEBUF, PT.CHARBUFARRAY, PT.CHARBUF_PAIR_ARRAY]);

/** C's `%lg`: six significant digits, trailing zeros dropped, two-digit exponents. */
function printG(x: number): string {
  if (x === 0) return '0';
  const e = Math.floor(Math.log10(Math.abs(x)));
  if (e < -4 || e >= 6) return x.toExponential(5).replace(/\.?0+e/, 'e').replace(/e([+-])(\d)$/, 'e$10$2');
  return String(Number(x.toPrecision(6)));
}

/** A rendered parameter. */
export interface Rendered {
  plain: string;
  resolved: string;
}

function numStr(v: ParamValue, fmt: string): string {
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (fmt === 'h') return v.toString(16).toUpperCase();
    if (fmt === 'o') return v === 0 || v === 0n ? '0' : `0${v.toString(8)}`;
    return v.toString();
  }
  return '';
}

function bytesStr(b: Buffer): string {
  // printable bytes as-is, others as '.', as sysdig's default buffer format does
  let s = '';
  const n = Math.min(b.length, 4096);
  for (let i = 0; i < n; i++) {
    const c = b[i];
    s += c >= 32 && c < 127 ? String.fromCharCode(c) : '.';
  }
  return s;
}

function addrStr(a: SockAddr): string {
  if ((a.family === AF.INET || a.family === AF.INET6) && a.addr !== undefined) return endpoint(a.addr, a.port ?? 0);
  if (a.family === AF.UNIX) return a.path ?? '';
  return '';
}

function tupleStr(t: SockTuple): string {
  if ((t.family === AF.INET || t.family === AF.INET6) && t.sip !== undefined) return tupleName(t.sip, t.sport ?? 0, t.dip!, t.dport ?? 0);
  if (t.family === AF.UNIX) return unixName(t.source ?? 0n, t.dest ?? 0n, t.path ?? '');
  return '';
}

/** The l4 protocol letter libsinsp shows for named IP sockets (`<4t>`, `<6u>`). */
function l4Char(fd: FdInfo): string {
  if (!fd.name || (fd.kind !== FDT.IPV4_SOCK && fd.kind !== FDT.IPV6_SOCK)) return '';
  return ['', '', 't', 'u', 'i', 'r'][fd.l4proto ?? 0] ?? '';
}

function isFlagTable(t: FlagTable | EnumTable): t is FlagTable {
  return Array.isArray(t);
}

/** Renders parameter value `v` of type/format for the event in `ev`. */
export function renderValue(ev: SyscallEvent, name: string, type: number, fmt: string, v: ParamValue | undefined): Rendered | undefined {
  if (v === undefined) return undefined;
  // an empty tuple or fd list prints NULL, an empty buffer nothing, another empty parameter <NA>
  // (libsinsp; only its newest captures also print empty buffers as NULL)
  if (Buffer.isBuffer(v) && v.length === 0) return { plain: NULL_WHEN_EMPTY.has(type) ? 'NULL' : BUFFERS.has(type) ? '' : '<NA>', resolved: '' };
  if (Buffer.isBuffer(v) && type !== PT.BYTEBUF && type !== PT.CHARBUFARRAY && type !== PT.CHARBUF_PAIR_ARRAY) {
    return { plain: bytesStr(v), resolved: '' };
  }
  switch (type) {
    case PT.CHARBUF:
      return { plain: String(v), resolved: '' };
    case PT.FSPATH:
    case PT.FSRELPATH: {
      // a relative path also prints absolute: joined to the cwd, or to its dirfd parameter's directory
      const p = String(v);
      if (p.startsWith('/') || !p) return { plain: p, resolved: '' };
      return { plain: p, resolved: resolvePath(type === PT.FSRELPATH ? dirOfParam(ev, name) : (ev.thread?.cwd ?? ''), p) };
    }
    case PT.BYTEBUF:
      return { plain: Buffer.isBuffer(v) ? bytesStr(v) : String(v), resolved: '' };
    case PT.CHARBUFARRAY:
    case PT.CHARBUF_PAIR_ARRAY:
      return { plain: Buffer.isBuffer(v) ? bytesStr(v) : Array.isArray(v) ? (v as string[]).join(', ') : String(v), resolved: '' };
    case PT.ERRNO: {
      // decimal whatever the print format (sysdig 0.29 printed hex-format results such as mmap's in hex)
      const n = Number(v);
      return { plain: String(v), resolved: n < 0 ? (ERRNO_NAMES[-n] ?? '') : '' };
    }
    case PT.RELTIME: {
      const ns = typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
      if (BigInt.asUintN(64, ns) === 0xffffffffffffffffn) return { plain: 'none', resolved: '' };
      return { plain: BigInt.asUintN(64, ns).toString(), resolved: `${printG(Number(BigInt.asUintN(64, ns)) / 1e9)}s` };
    }
    case PT.SIGTYPE:
      return { plain: String(v), resolved: SIGNAL_NAMES[Number(v)] ?? '' };
    case PT.FD:
    case PT.FD32: {
      const n = Number(v);
      const fd = n >= 0 ? ev.thread?.fds.get(n) : undefined;
      const neg = n === AT_FDCWD ? 'AT_FDCWD' : n < 0 ? (ERRNO_NAMES[-n] ?? '') : '';
      return { plain: String(v), resolved: fd ? `<${FD_TYPE_CHARS[fd.kind] ?? '?'}${l4Char(fd)}>${fd.name}` : neg };
    }
    case PT.SOCKADDR:
      return { plain: addrStr(v as SockAddr), resolved: '' };
    case PT.SOCKTUPLE:
      return { plain: tupleStr(v as SockTuple) || 'NULL', resolved: '' };
    case PT.FDLIST:
      // fd:<type char><flags in hex>, ? for an fd not in the table (poll's fds=4:64)
      return {
        plain: (v as { fd: number; flags: number }[]).map((x) => {
          const fd = ev.thread?.fds.get(Number(x.fd));
          return `${x.fd}:${fd ? (FD_TYPE_CHARS[fd.kind] ?? 'o') : '?'}${Number(x.flags).toString(16)}`;
        }).join(' '),
        resolved: '',
      };
    case PT.IPV4ADDR:
    case PT.IPV6ADDR:
    case PT.IPADDR:
      return { plain: typeof v === 'number' || typeof v === 'bigint' ? ipToString(v) : '', resolved: '' };
    case PT.UID: {
      const u = ev.st.user(Number(v), ev.thread?.containerId);
      return { plain: String(v), resolved: u?.name ?? '' };
    }
    case PT.GID: {
      const g = ev.st.group(Number(v), ev.thread?.containerId);
      return { plain: String(v), resolved: g?.name ?? '' };
    }
    case PT.SOCKFAMILY: {
      return { plain: String(v), resolved: Number(v) === AF.INET ? 'AF_INET' : Number(v) === AF.INET6 ? 'AF_INET6' : Number(v) === AF.UNIX ? 'AF_UNIX' : '' };
    }
    case PT.PID: {
      const t = ev.st.thread(Number(v));
      return { plain: String(v), resolved: t ? t.comm : '' };
    }
    default: {
      // flag values print in decimal next to their names (flags=4097(O_RDONLY|O_CLOEXEC))
      const isFlags = type === PT.FLAGS8 || type === PT.FLAGS16 || type === PT.FLAGS32 || type === PT.ENUMFLAGS8 || type === PT.ENUMFLAGS16 || type === PT.ENUMFLAGS32 || type === PT.MODE;
      const plain = numStr(v, isFlags ? 'd' : fmt);
      const table = tableFor(ev.e.info.name, name, type, ev.e.info.dir);
      if (!table || (typeof v !== 'number' && typeof v !== 'bigint')) return { plain, resolved: '' };
      const n = Number(v);
      // enum-flag parameters name only an exact value; flag parameters every bit set
      const exact = type === PT.ENUMFLAGS8 || type === PT.ENUMFLAGS16 || type === PT.ENUMFLAGS32;
      const resolved = !isFlagTable(table) ? (table[n] ?? '') : exact ? (table.find(([b]) => b === n)?.[1] ?? '') : renderFlags(n, table);
      return { plain, resolved };
    }
  }
}

/**
 * The directory a relative path parameter is resolved against: that of the nearest fd parameter
 * before it (openat's dirfd, linkat's olddir/newdir, symlinkat's linkdirfd), the cwd for AT_FDCWD,
 * '' for an fd not in the table (libsinsp then prints the path as given).
 */
function dirOfParam(ev: SyscallEvent, name: string): string {
  let params = ev.e.info.params;
  let i = ev.e.info.index.get(name);
  let get = (j: number): ParamValue | undefined => ev.e.param(j);
  if (i === undefined || i >= ev.e.nparams) {
    // a parameter merged from the enter event: look in the enter row's layout
    params = EVENTS[ev.e.info.id - 1]?.params ?? [];
    i = params.findIndex((p) => p.name === name);
    get = (j) => ev.e.fromEnter(params[j]!.name);
  }
  for (let j = (i ?? 0) - 1; j >= 0; j--) {
    if (params[j]!.type !== PT.FD && params[j]!.type !== PT.FD32) continue;
    const d = Number(get(j));
    if (d === AT_FDCWD || Number.isNaN(d)) return ev.thread?.cwd ?? '';
    return ev.thread?.fds.get(d)?.name ?? '';
  }
  return ev.thread?.cwd ?? '';
}

/** Parameter i of the event, rendered. */
export function renderParam(ev: SyscallEvent, i: number): Rendered | undefined {
  const p = ev.e.info.params[i];
  if (!p) return undefined;
  return renderValue(ev, p.name, p.type, p.fmt, ev.e.param(i));
}

/** Named parameter (own or merged from the enter event), rendered. */
export function renderNamed(ev: SyscallEvent, name: string): Rendered | undefined {
  const i = ev.e.info.index.get(name);
  if (i !== undefined && i < ev.e.nparams) return renderParam(ev, i);
  const v = ev.e.fromEnter(name);
  if (v === undefined) return undefined;
  const p = enterParamInfo(ev, name);
  return renderValue(ev, name, p?.type ?? PT.CHARBUF, p?.fmt ?? 'n', v);
}

function enterParamInfo(ev: SyscallEvent, name: string): { type: number; fmt: string } | undefined {
  // merged values come from the enter row of the same syscall (id - 1)
  return EVENTS[ev.e.info.id - 1]?.params.find((x) => x.name === name);
}

/** `evt.args`: every parameter as `name=plain(resolved)`, space-separated. */
export function renderArgs(ev: SyscallEvent): string {
  const out: string[] = [];
  if (ev.e.info.name === 'syscall') return ''; // generic events print no arguments
  for (let i = 0; i < ev.e.nparams; i++) {
    const p = ev.e.info.params[i];
    const r = renderParam(ev, i);
    if (!p || !r) continue;
    out.push(`${p.name}=${r.plain}${r.resolved ? `(${r.resolved})` : ''}`);
  }
  return out.join(' ');
}
