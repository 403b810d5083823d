/**
 * Decoding of scap event parameters by their PT_* type. Values are typed JS values; socket
 * addresses and tuples become small objects. Decoding never throws: a short or malformed
 * parameter yields the raw bytes (the reader has already checked lengths).
 * @module
 */
import { PT } from './event-table.ts';

/** A socket address (PT_SOCKADDR). IPv4 addresses are numbers (a.b.c.d → a<<24|...), IPv6 bigints. */
export interface SockAddr {
  family: number;
  addr?: number | bigint;
  port?: number;
  path?: string;
}

/** A connection tuple (PT_SOCKTUPLE). */
export interface SockTuple {
  family: number;
  sip?: number | bigint;
  sport?: number;
  dip?: number | bigint;
  dport?: number;
  /** Unix sockets: kernel addresses of the two ends, and the path. */
  source?: bigint;
  dest?: bigint;
  path?: string;
}

/** One decoded parameter value. */
export type ParamValue = number | bigint | string | Buffer | SockAddr | SockTuple | { fd: number; flags: number }[] | string[];

/** PPM socket families as they appear in scap (PPM_AF_*). */
export const AF = { UNSPEC: 0, UNIX: 1, INET: 2, INET6: 10, NETLINK: 16 } as const;

/** Reads a u64 as a number when exact, else a bigint. */
export function u64(b: Buffer, o: number): number | bigint {
  const hi = b.readUInt32LE(o + 4);
  if (hi < 0x200000) return hi * 4294967296 + b.readUInt32LE(o);
  return b.readBigUInt64LE(o);
}

/** Reads an i64 as a number when exact, else a bigint. */
export function i64(b: Buffer, o: number): number | bigint {
  const hi = b.readInt32LE(o + 4);
  if (hi < 0x200000 && hi >= -0x200000) return hi * 4294967296 + b.readUInt32LE(o);
  return b.readBigInt64LE(o);
}

/** Reads a NUL-terminated (or length-bounded) UTF-8 string. */
export function cstr(b: Buffer, start: number, end: number): string {
  let e = start;
  while (e < end && b[e] !== 0) e++;
  return b.toString('utf8', start, e);
}

/** IPv4 address stored in network order → number a<<24|b<<16|c<<8|d. */
function ipv4(b: Buffer, o: number): number {
  return b.readUInt32BE(o);
}

function ipv6(b: Buffer, o: number): bigint {
  return (b.readBigUInt64BE(o) << 64n) | b.readBigUInt64BE(o + 8);
}

/**
 * Per PT_* type: how decodeInt reads it — 1 signed, 2 unsigned little-endian integer, 0 any other
 * decoding (strings, buffers, addresses, lists, big-endian IPs, doubles). Integers are decoded again
 * on every read instead of cached: cheaper than the cache array most events would need for them.
 */
export const INT_PARAM: Uint8Array = (() => {
  const t = new Uint8Array(256).fill(2);
  for (const x of [PT.CHARBUF, PT.FSPATH, PT.FSRELPATH, PT.BYTEBUF, PT.DYN, PT.NONE, PT.SOCKADDR, PT.SOCKTUPLE, PT.FDLIST, PT.CHARBUFARRAY, PT.CHARBUF_PAIR_ARRAY, PT.IPV4ADDR, PT.IPV6ADDR, PT.IPADDR, PT.DOUBLE]) t[x] = 0;
  for (const x of [PT.INT8, PT.INT16, PT.INT32, PT.INT64, PT.ERRNO, PT.FD, PT.PID, PT.FD32, PT.PID32]) t[x] = 1;
  return t;
})();

/**
 * An integer parameter (INT_PARAM[type] !== 0) read through a DataView of `b`: a number when exact,
 * else a bigint. A field narrower or wider than its type reads as the widest integer that fits; no
 * bytes (or, unsigned, more than 8) give the raw bytes.
 */
export function decodeInt(type: number, v: DataView, b: Buffer, s: number, e: number): ParamValue {
  const n = e - s;
  const signed = INT_PARAM[type] === 1;
  if (n === 0 || (!signed && n > 8)) return b.subarray(s, e);
  if (n >= 8) {
    const hi = signed ? v.getInt32(s + 4, true) : v.getUint32(s + 4, true);
    if (hi < 0x200000 && hi >= -0x200000) return hi * 4294967296 + v.getUint32(s, true);
    return signed ? v.getBigInt64(s, true) : v.getBigUint64(s, true);
  }
  if (n >= 4) return signed ? v.getInt32(s, true) : v.getUint32(s, true);
  if (n >= 2) return signed ? v.getInt16(s, true) : v.getUint16(s, true);
  return signed ? v.getInt8(s) : v.getUint8(s);
}

/** Decodes one parameter of type `type` spanning [s, e) of `b`. */
export function decodeParam(type: number, b: Buffer, s: number, e: number): ParamValue {
  // events read integers through their chunk's view (ScapEvent.param); this is for other callers
  if (INT_PARAM[type] !== 0) return decodeInt(type, new DataView(b.buffer, b.byteOffset, b.length), b, s, e);
  const n = e - s;
  switch (type) {
    case PT.CHARBUF:
    case PT.FSPATH:
    case PT.FSRELPATH:
      return cstr(b, s, e);
    case PT.BYTEBUF:
    case PT.DYN:
    case PT.NONE:
      return b.subarray(s, e);
    case PT.SOCKADDR:
      return n === 0 ? b.subarray(s, e) : sockaddr(b, s, e);
    case PT.SOCKTUPLE:
      return n === 0 ? b.subarray(s, e) : socktuple(b, s, e);
    case PT.FDLIST:
      return fdlist(b, s, e);
    case PT.CHARBUFARRAY:
    case PT.CHARBUF_PAIR_ARRAY:
      return splitNul(b, s, e);
    case PT.IPV4ADDR:
      return n >= 4 ? ipv4(b, s) : b.subarray(s, e);
    case PT.IPV6ADDR:
      return n >= 16 ? ipv6(b, s) : b.subarray(s, e);
    case PT.IPADDR:
      return n === 4 ? ipv4(b, s) : n === 16 ? ipv6(b, s) : b.subarray(s, e);
    case PT.DOUBLE:
      return n >= 8 ? b.readDoubleLE(s) : b.subarray(s, e);
    default:
      return b.subarray(s, e); // every other type is an integer (above)
  }
}

function sockaddr(b: Buffer, s: number, e: number): SockAddr {
  const family = b[s];
  if (family === AF.INET && e - s >= 7) return { family, addr: ipv4(b, s + 1), port: b.readUInt16LE(s + 5) };
  if (family === AF.INET6 && e - s >= 19) return { family, addr: ipv6(b, s + 1), port: b.readUInt16LE(s + 17) };
  if (family === AF.UNIX) return { family, path: cstr(b, s + 1, e) };
  return { family };
}

function socktuple(b: Buffer, s: number, e: number): SockTuple {
  const family = b[s];
  const n = e - s;
  if (family === AF.INET && n >= 13) {
    return { family, sip: ipv4(b, s + 1), sport: b.readUInt16LE(s + 5), dip: ipv4(b, s + 7), dport: b.readUInt16LE(s + 11) };
  }
  if (family === AF.INET6 && n >= 37) {
    return { family, sip: ipv6(b, s + 1), sport: b.readUInt16LE(s + 17), dip: ipv6(b, s + 19), dport: b.readUInt16LE(s + 35) };
  }
  if (family === AF.UNIX && n >= 17) {
    return { family, source: b.readBigUInt64LE(s + 1), dest: b.readBigUInt64LE(s + 9), path: cstr(b, s + 17, e) };
  }
  return { family };
}

function fdlist(b: Buffer, s: number, e: number): { fd: number; flags: number }[] {
  const out: { fd: number; flags: number }[] = [];
  if (e - s < 2) return out;
  const count = b.readUInt16LE(s);
  let p = s + 2;
  for (let i = 0; i < count && p + 10 <= e; i++, p += 10) {
    out.push({ fd: Number(i64(b, p)), flags: b.readUInt16LE(p + 8) });
  }
  return out;
}

/** Splits NUL-separated strings (args, env, cgroups); a trailing NUL ends the last one. */
export function splitNul(b: Buffer, s: number, e: number): string[] {
  const out: string[] = [];
  let start = s;
  for (let i = s; i < e; i++) {
    if (b[i] === 0) {
      out.push(b.toString('utf8', start, i));
      start = i + 1;
    }
  }
  if (start < e) out.push(b.toString('utf8', start, e));
  return out;
}
