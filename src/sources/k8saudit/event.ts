/**
 * One Kubernetes audit event as the k8s_audit source carries it: the parsed object, its
 * time (stageTimestamp) and the JSON text, plus the JSON helpers the extractors share.
 * @module
 */

/** A JSON value as parsed. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** One audit event (`audit.k8s.io/v1` Event). */
export interface AuditEvent {
  /** The parsed event object. */
  obj: { [k: string]: Json };
  /** stageTimestamp in nanoseconds since the epoch (Falco's event timestamp). */
  timeNs: bigint;
  /** Sequence number within its input (1-based). */
  num: number;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** A decimal array index, or -1. */
function arrayIndex(key: string): number {
  const n = key.length;
  if (n === 0 || n > 9) return -1;
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
  }
  return Number(key);
}

/** A child of an object by key, or of an array by decimal index (as fastjson's Get does). */
export function child(v: Json | undefined, key: string): Json | undefined {
  if (v === null || v === undefined || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) {
    const i = arrayIndex(key);
    return i < 0 ? undefined : v[i];
  }
  const r = v[key];
  // own properties only: JSON objects still inherit from Object.prototype
  return r === undefined || !hasOwn.call(v, key) ? undefined : r;
}

/** The value at a key path, undefined when any step is missing. */
export function at(v: Json | undefined, ...keys: string[]): Json | undefined {
  let cur = v;
  for (const k of keys) {
    cur = child(cur, k);
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** The plugins' string form of a value: strings as they are, anything else as compact JSON. */
export function asString(v: Json): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * The value at an RFC 6901 JSON pointer (`/a/b~1c/0`), as the json plugin walks it: a
 * leading `/` is optional, `~1` is `/` and `~0` is `~`, array steps are decimal indexes.
 */
export function atPointer(root: Json, pointer: string): Json | undefined {
  let keys = POINTERS.get(pointer);
  if (!keys) {
    const p = pointer.startsWith('/') ? pointer.slice(1) : pointer;
    keys = pointer === '' ? [] : p.split('/').map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    // pointers come from rules, so the cache stays small; the bound guards odd callers
    if (POINTERS.size < 4096) POINTERS.set(pointer, keys);
  }
  let cur: Json | undefined = root;
  for (let i = 0; i < keys.length; i++) {
    cur = child(cur, keys[i]!);
    if (cur === undefined) return undefined;
  }
  return cur;
}

const POINTERS = new Map<string, string[]>();
