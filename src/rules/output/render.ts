/**
 * How extracted values print in outputs (text) and in `output_fields` (typed JSON).
 * @module
 */
import type { FieldType, FieldValue } from '../fields.ts';
import { typeClass } from '../compiler/index.ts';

/** A JSON value of `output_fields`. */
export type OutputValue = string | number | boolean | null;

function ipToString(v: number | bigint): string {
  if (typeof v === 'number') return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: the longest run (>= 2) of zero groups becomes '::'.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

function scalarText(v: unknown, t: FieldType): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if ((typeof v === 'number' || typeof v === 'bigint') && (typeClass(t) === 'ipaddr' || typeClass(t) === 'ipnet')) return ipToString(v);
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof Uint8Array) {
    // Non-printable bytes show as '.', as sysdig/Falco print buffers.
    let s = '';
    for (const b of v) s += b >= 32 && b < 127 ? String.fromCharCode(b) : '.';
    return s;
  }
  return String(v);
}

/** The text of a value; lists print as `(a,b)`. Undefined stays undefined (the caller prints <NA>). */
export function renderValue(v: FieldValue, t: FieldType): string | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return `(${(v as unknown[]).map((x) => scalarText(x, t)).join(',')})`;
  return scalarText(v, t);
}

/** The typed JSON form of a value: numbers stay numbers, missing is null. */
export function jsonValue(v: FieldValue, t: FieldType): OutputValue {
  if (v === undefined) return null;
  if (typeof v === 'number') return typeClass(t) === 'ipaddr' || typeClass(t) === 'ipnet' ? ipToString(v) : v;
  if (typeof v === 'bigint') return typeClass(t) === 'ipaddr' || typeClass(t) === 'ipnet' ? ipToString(v) : Number(v);
  if (typeof v === 'boolean') return v;
  return renderValue(v, t) ?? null;
}
