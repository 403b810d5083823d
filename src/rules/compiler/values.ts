/**
 * Literal parsing by field type (as libsinsp's value parser: decimal integers, `true`/`false`,
 * IPv4/IPv6 addresses, CIDR networks, hex byte strings) and the normalization of extracted
 * event values into the same representations, so comparisons are plain `===`/`<`.
 * @module
 */
import type { FieldType, FieldValue } from '../fields.ts';
import { typeClass } from './types.ts';

/** An IP network: `base` with `bits` leading bits significant. */
export interface IpNet {
  v6: boolean;
  base: bigint;
  bits: number;
}

/** A prepared literal: number/bigint (numeric, IPv4 as number, IPv6 as bigint), boolean, string, bytes or a net. */
export type Prepared = number | bigint | boolean | string | Uint8Array | IpNet;

/** Thrown for a literal that does not parse as the field's type. */
export class ValueError extends Error {}

const INT_RX = /^[\t\n\v\f\r ]*[+-]?[0-9]+$/;
const HEX_RX = /^0[xX][0-9a-fA-F]+$/;

// A few service names for PORT values (libsinsp resolves them with getservbyname).
const SERVICES: Record<string, number> = {
  ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, http: 80, pop3: 110, imap: 143, https: 443,
  imaps: 993, pop3s: 995, mysql: 3306, postgresql: 5432, redis: 6379,
};

/** Parses an integer literal (decimal as libsinsp; hex `0x..` accepted too). */
export function parseInteger(s: string): number | bigint {
  let big: bigint;
  if (INT_RX.test(s)) big = BigInt(s.trim().replace(/^\+/, ''));
  else if (HEX_RX.test(s)) big = BigInt(s);
  else throw new ValueError(`${s} is not a valid number`);
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** Parses a dotted IPv4 address to an unsigned 32-bit number, or undefined. */
export function parseIpv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const b = Number(p);
    if (b > 255) return undefined;
    n = n * 256 + b;
  }
  return n;
}

/** Parses an IPv6 address (with `::` and an IPv4 tail) to a 128-bit bigint, or undefined. */
export function parseIpv6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.length > 45) return undefined;
  let groups: number[] = [];
  const dbl = s.indexOf('::');
  if (dbl !== s.lastIndexOf('::')) return undefined;
  const parseSide = (side: string): number[] | undefined => {
    if (side === '') return [];
    const out: number[] = [];
    const items = side.split(':');
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (i === items.length - 1 && it.includes('.')) {
        const v4 = parseIpv4(it);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(it)) {
        out.push(parseInt(it, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  if (dbl >= 0) {
    const left = parseSide(s.slice(0, dbl));
    const right = parseSide(s.slice(dbl + 2));
    if (!left || !right || left.length + right.length > 7) return undefined;
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  } else {
    const all = parseSide(s);
    if (!all || all.length !== 8) return undefined;
    groups = all;
  }
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  return v;
}

const V4_MAPPED = 0xffffn << 32n;

/** IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) compare as the IPv4 address. */
function unmap(v: number | bigint): number | bigint {
  return typeof v === 'bigint' && v >> 32n === 0xffffn ? Number(v - V4_MAPPED) : v;
}

/** Parses an address as libsinsp does for IPADDR: a dot means IPv4, otherwise IPv6. */
export function parseIpAddr(s: string): number | bigint {
  const v = s.includes('.') && !s.includes(':') ? parseIpv4(s) : parseIpv6(s);
  if (v === undefined) throw new ValueError(`unrecognized IP address ${s}`);
  return unmap(v);
}

/** Parses `addr/bits`. */
export function parseIpNet(s: string): IpNet {
  const slash = s.indexOf('/');
  if (slash < 0) throw new ValueError(`unrecognized IP network ${s}`);
  const addr = s.slice(0, slash);
  const bitsText = s.slice(slash + 1);
  const a = parseIpAddr(addr);
  const v6 = typeof a === 'bigint';
  const bits = /^[0-9]{1,3}$/.test(bitsText) ? Number(bitsText) : -1;
  if (bits < 0 || bits > (v6 ? 128 : 32)) throw new ValueError(`unrecognized IP network ${s}`);
  return { v6, base: BigInt(a), bits };
}

/** Decodes libsinsp's hex byte strings (`48545450`) for bcontains/bstartswith. */
export function parseHex(s: string): Uint8Array {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) {
    throw new ValueError('filter error: bcontains and bstartswith operator support hex strings only');
  }
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

/** Parses a literal compared against a value of type `t` with operator `op`. */
export function parseLiteral(s: string, t: FieldType, op: string): Prepared {
  if (s.includes('\0')) throw new ValueError('filter error: filter value cannot contain a NUL byte (\\x00)');
  switch (typeClass(t)) {
    case 'numeric':
      if (t === 'PORT' && !/^[0-9]*$/.test(s)) {
        const p = SERVICES[s];
        if (p === undefined) throw new ValueError(`unrecognized protocol ${s}`);
        return p;
      }
      return parseInteger(s);
    case 'bool':
      if (s === 'true') return true;
      if (s === 'false') return false;
      throw new ValueError(`filter error: unrecognized boolean value ${s}`);
    case 'buffer':
      return op === 'bcontains' || op === 'bstartswith' ? parseHex(s) : Uint8Array.from(Buffer.from(s, 'utf8'));
    case 'ipaddr':
      return parseIpAddr(s);
    case 'ipnet':
      return parseIpNet(s);
    default:
      return s;
  }
}

// ---- normalization of extracted values ----

/** A number/bigint from an extracted numeric value (booleans count as 0/1), or undefined. */
export function toNumeric(v: unknown): number | bigint | undefined {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v !== '') {
    try {
      return parseInteger(v);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A boolean from an extracted value. */
export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/** A string from an extracted value (numbers are rendered, bytes decoded as UTF-8). */
export function toStr(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
  return undefined;
}

/** Bytes from an extracted value. */
export function toBytes(v: unknown): Uint8Array | undefined {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  return undefined;
}

/** An address (IPv4 number / IPv6 bigint) from an extracted value: string, number, bigint or 4/16 bytes. */
export function toIp(v: unknown): number | bigint | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return unmap(v);
  if (typeof v === 'string') {
    const r = v.includes('.') && !v.includes(':') ? parseIpv4(v) : parseIpv6(v);
    return r === undefined ? undefined : unmap(r);
  }
  if (v instanceof Uint8Array) {
    if (v.length === 4) return ((v[0]! << 24) >>> 0) + (v[1]! << 16) + (v[2]! << 8) + v[3]!;
    if (v.length === 16) {
      let x = 0n;
      for (const b of v) x = (x << 8n) | BigInt(b);
      return unmap(x);
    }
  }
  return undefined;
}

/** True when address `a` is inside `net`. */
export function inNet(a: number | bigint, net: IpNet): boolean {
  const width = net.v6 ? 128n : 32n;
  if ((typeof a === 'bigint') !== net.v6) return false;
  const shift = width - BigInt(net.bits);
  return BigInt(a) >> shift === net.base >> shift;
}

/** The extracted value as a list (scalars become one-element lists). */
export function asList(v: FieldValue): readonly unknown[] {
  if (Array.isArray(v)) return v;
  return [v];
}

/** Typed normalizer for a type class. */
export function normalizerFor(t: FieldType): (v: unknown) => Prepared | undefined {
  switch (typeClass(t)) {
    case 'numeric': return toNumeric;
    case 'bool': return toBool;
    case 'buffer': return toBytes;
    case 'ipaddr': case 'ipnet': return toIp;
    default: return toStr;
  }
}
