/**
 * evt.* extractors: type, direction, times, arguments (rendered and raw), return values and
 * the open/io predicates.
 * @module
 */
import { EF, PT, type ParamValue, type SockAddr, type SockTuple } from '../scap/index.ts';
import type { SyscallEvent } from '../state/index.ts';
import { ERRNO_NAMES } from './flags.ts';
import { renderArgs, renderNamed, renderParam, renderValue } from './render.ts';
import { dateTime, dateTimeSeconds, iso8601Local, timeOfDay, timeOfDaySeconds } from './times.ts';
import type { ExtractorMap } from './types.ts';

const RES_TYPES = new Set<number>([PT.ERRNO, PT.FD, PT.PID, PT.FD32, PT.PID32]);
const O_RDONLY = 1;
const O_WRONLY = 2;
const O_CREAT = 1 << 2;
const O_F_CREATED = 1 << 14;
const S_IX = (1 << 0) | (1 << 3) | (1 << 6);
const OPEN_TYPES = new Set(['open', 'openat', 'openat2', 'creat', 'open_by_handle_at']);

/** The return value of an exit event (param 0 when it is an errno/fd/pid), or undefined. */
export function rawRes(ev: SyscallEvent): number | undefined {
  const e = ev.e;
  if (e.info.dir !== '<' || e.nparams === 0) return undefined;
  const p = e.info.params[0];
  if (!RES_TYPES.has(p.type) && p.name !== 'res') return undefined;
  const v = e.param(0);
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
}

function openFlags(ev: SyscallEvent): number | undefined {
  if (!OPEN_TYPES.has(ev.e.info.name) || ev.e.info.dir !== '<') return undefined;
  const f = ev.e.get('flags');
  if (typeof f === 'number') return f;
  return ev.fd?.openFlags;
}

function rawValue(v: ParamValue | undefined, ev: SyscallEvent, type: number): string | number | bigint | Uint8Array | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return type === PT.BYTEBUF ? v : v.toString('utf8');
  if (Array.isArray(v)) return renderValue(ev, '', type, 'n', v)?.plain;
  if ('family' in (v as object)) return renderValue(ev, '', type, 'n', v as SockAddr | SockTuple)?.plain;
  return undefined;
}

function argIndex(ev: SyscallEvent, arg: string | undefined): number | undefined {
  if (arg === undefined) return undefined;
  if (/^[0-9]+$/.test(arg)) return Number(arg);
  const i = ev.e.info.index.get(arg);
  return i !== undefined && i < ev.e.nparams ? i : undefined;
}

/** evt.* extractors. */
export const EVT: ExtractorMap = {
  'evt.num': { type: 'UINT64', desc: 'event number', extract: (ev) => ev.e.num },
  'evt.type': { type: 'CHARBUF', desc: 'event type', extract: (ev) => ev.e.type },
  'evt.dir': { type: 'CHARBUF', desc: 'event direction', extract: (ev) => ev.e.info.dir },
  'evt.cpu': { type: 'INT16', desc: 'CPU number', extract: (ev) => ev.e.cpu },
  'evt.time': { type: 'CHARBUF', desc: 'event time', extract: (ev) => timeOfDay(ev.e.ts) },
  'evt.time.s': { type: 'CHARBUF', desc: 'event time (seconds)', extract: (ev) => timeOfDaySeconds(ev.e.ts) },
  'evt.time.iso8601': { type: 'CHARBUF', desc: 'event time, ISO 8601', extract: (ev) => iso8601Local(ev.e.ts) },
  'evt.datetime': { type: 'CHARBUF', desc: 'event date and time', extract: (ev) => dateTime(ev.e.ts) },
  'evt.datetime.s': { type: 'CHARBUF', desc: 'event date and time (seconds)', extract: (ev) => dateTimeSeconds(ev.e.ts) },
  'evt.rawtime': { type: 'ABSTIME', desc: 'absolute time, ns', extract: (ev) => ev.e.ts },
  'evt.rawtime.s': { type: 'ABSTIME', desc: 'seconds part', extract: (ev) => ev.e.ts / 1_000_000_000n },
  'evt.rawtime.ns': { type: 'ABSTIME', desc: 'nanoseconds part', extract: (ev) => ev.e.ts % 1_000_000_000n },
  'evt.args': { type: 'CHARBUF', desc: 'all arguments', extract: (ev) => renderArgs(ev) },
  'evt.info': { type: 'CHARBUF', desc: 'event information', extract: (ev) => renderArgs(ev) },
  'evt.arg': {
    type: 'CHARBUF', arg: 'required-key', desc: 'one argument, rendered',
    extract: (ev, arg) => {
      if (arg === undefined) return undefined;
      const i = argIndex(ev, arg);
      const r = i !== undefined ? renderParam(ev, i) : /^[0-9]+$/.test(arg) ? undefined : renderNamed(ev, arg);
      return r ? r.resolved || r.plain : undefined;
    },
  },
  'evt.rawarg': {
    type: 'CHARBUF', arg: 'required-key', desc: 'one argument, raw',
    extract: (ev, arg) => {
      const i = argIndex(ev, arg);
      if (i !== undefined) return rawValue(ev.e.param(i), ev, ev.e.info.params[i]?.type ?? PT.BYTEBUF);
      return arg !== undefined ? rawValue(ev.e.fromEnter(arg), ev, PT.CHARBUF) : undefined;
    },
  },
  'evt.res': {
    type: 'CHARBUF', desc: 'SUCCESS or the errno name',
    extract: (ev) => {
      const r = rawRes(ev);
      if (r === undefined) return undefined;
      return r >= 0 ? 'SUCCESS' : (ERRNO_NAMES[-r] || String(r));
    },
  },
  'evt.rawres': { type: 'INT64', desc: 'return value', extract: (ev) => rawRes(ev) },
  'evt.failed': {
    type: 'BOOL', desc: 'true when the call failed',
    extract: (ev) => {
      const r = rawRes(ev);
      return r === undefined ? false : r < 0;
    },
  },
  'evt.is_io': { type: 'BOOL', desc: 'reads or writes', extract: (ev) => /IO_(READ|WRITE)/.test(ev.e.info.category) },
  'evt.is_io_read': { type: 'BOOL', desc: 'reads', extract: (ev) => ev.e.info.category.includes('IO_READ') },
  'evt.is_io_write': { type: 'BOOL', desc: 'writes', extract: (ev) => ev.e.info.category.includes('IO_WRITE') },
  'evt.is_wait': { type: 'BOOL', desc: 'waits', extract: (ev) => (ev.e.info.flags & EF.WAITS) !== 0 },
  'evt.is_open_read': { type: 'BOOL', desc: 'open for reading', extract: (ev) => ((openFlags(ev) ?? 0) & O_RDONLY) !== 0 },
  'evt.is_open_write': { type: 'BOOL', desc: 'open for writing', extract: (ev) => ((openFlags(ev) ?? 0) & O_WRONLY) !== 0 },
  'evt.is_open_create': { type: 'BOOL', desc: 'open that created the file', extract: (ev) => ((openFlags(ev) ?? 0) & (O_CREAT | O_F_CREATED)) !== 0 },
  'evt.is_open_exec': {
    type: 'BOOL', desc: 'open creating an executable file',
    extract: (ev) => {
      const f = openFlags(ev) ?? 0;
      const mode = ev.e.get('mode');
      return (f & O_CREAT) !== 0 && typeof mode === 'number' && (mode & S_IX) !== 0;
    },
  },
  'evt.category': { type: 'CHARBUF', desc: 'event category', extract: (ev) => categoryName(ev.e.info.category) },
  'evt.buffer': {
    type: 'BYTEBUF', desc: 'I/O buffer',
    extract: (ev) => {
      const v = ev.e.get('data');
      return Buffer.isBuffer(v) ? v : undefined;
    },
  },
  'evt.buflen': {
    type: 'UINT64', desc: 'I/O buffer length',
    extract: (ev) => {
      const v = ev.e.get('data');
      return Buffer.isBuffer(v) ? Math.max(0, rawRes(ev) ?? v.length) : undefined;
    },
  },
  'evt.count': { type: 'UINT32', desc: '1 for every event', extract: () => 1 },
  'evt.source': { type: 'CHARBUF', desc: 'event source', extract: () => 'syscall' },
  'evt.hostname': { type: 'CHARBUF', desc: 'host name', extract: (ev) => ev.st.machine?.hostname },
  'evt.is_syslog': {
    type: 'BOOL', desc: 'write to /dev/log',
    extract: (ev) => ev.e.info.category.includes('IO_WRITE') && (ev.fd?.name ?? '').includes('/dev/log'),
  },
};

function categoryName(cat: string): string {
  const first = cat.split('|').find((c) => c !== 'SYSCALL' && c !== 'TRACEPOINT' && c !== 'METAEVENT' && c !== 'PLUGIN') ?? 'other';
  switch (first) {
    case 'IO_READ': return 'IO_read';
    case 'IO_WRITE': return 'IO_write';
    case 'IO_OTHER': return 'IO_other';
    case 'IPC': return 'IPC';
    default: return first.toLowerCase();
  }
}
