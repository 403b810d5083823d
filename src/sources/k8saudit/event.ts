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

/** A child of an object by key, or of an array by decimal index (as fastjson's Get does). */
export function child(v: Json | undefined, key: string): Json | undefined {
  if (v === null || v === undefined || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) {
    if (!/^[0-9]+$/.test(key)) return undefined;
    return v[Number(key)];
  }
  return Object.prototype.hasOwnProperty.call(v, key) ? v[key] : undefined;
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
  if (pointer === '') return root;
  const p = pointer.startsWith('/') ? pointer.slice(1) : pointer;
  let cur: Json | undefined = root;
  for (const raw of p.split('/')) {
    cur = child(cur, raw.replaceAll('~1', '/').replaceAll('~0', '~'));
    if (cur === undefined) return undefined;
  }
  return cur;
}
