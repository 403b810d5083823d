/**
 * Audit event readers: a body holding an `audit.k8s.io/v1` Event, an EventList, or an array
 * of either (what the API server's webhook backend posts), and audit log files in JSON lines
 * (one such document per line). Problems come back as coded diagnostics with the JSON path
 * (and line, for files).
 * @module
 */
import { error, type Diagnostic } from '../../core/index.ts';
import type { AuditEvent, Json } from './event.ts';
import { findJsonSyntaxError } from './json-errors.ts';

/** Limits of one decode. */
export interface DecodeOptions {
  /** Largest single event, serialized (the k8saudit plugin's maxEventSize, 262144). */
  maxEventSize?: number;
  /** Largest nesting of arrays of events. */
  maxDepth?: number;
  /**
   * Bytes of the text the value was parsed from: when within maxEventSize no event can
   * exceed it, and the per-event measurement is skipped.
   */
  sourceBytes?: number;
  /** Numbering continues from here (events get num = first, first+1, ...). */
  firstNum?: number;
  file?: string;
  line?: number;
}

/** The events of a body, or the first problem (a body is accepted or rejected as a whole). */
export type DecodeResult = { ok: true; events: AuditEvent[] } | { ok: false; error: Diagnostic };

/** The k8saudit plugin's default maxEventSize. */
export const DEFAULT_MAX_EVENT_SIZE = 262144;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** RFC 3339 time (nanosecond precision) to nanoseconds since the epoch; undefined if malformed. */
export function parseRfc3339Ns(s: string): bigint | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, frac, tz] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  if (Number.isNaN(ms) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(se) > 60) return undefined;
  let offsetMin = 0;
  if (tz !== 'Z' && tz !== 'z') {
    const sign = tz![0] === '-' ? -1 : 1;
    offsetMin = sign * (Number(tz!.slice(1, 3)) * 60 + Number(tz!.slice(4, 6)));
  }
  const secs = BigInt(ms / 1000 - offsetMin * 60);
  return secs * 1_000_000_000n + BigInt((frac ?? '').padEnd(9, '0'));
}

const isObj = (v: Json): v is { [k: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Decodes one parsed document into events. */
export function decodeValue(value: Json, opts: DecodeOptions = {}): DecodeResult {
  const max = opts.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
  const maxDepth = opts.maxDepth ?? 16;
  const events: AuditEvent[] = [];
  let num = opts.firstNum ?? 1;
  const measure = opts.sourceBytes === undefined || opts.sourceBytes > max;
  const fail = (code: string, message: string, jsonPath: string): DecodeResult => ({
    ok: false,
    error: error(code, message, { file: opts.file, line: opts.line, jsonPath }),
  });
  const one = (v: Json, path: string): DecodeResult | undefined => {
    if (!isObj(v)) return fail('K8SAUDIT_NOT_EVENT', 'an audit event must be a JSON object', path);
    const ts = v.stageTimestamp;
    if (ts === undefined) return fail('K8SAUDIT_BAD_EVENT', "can't read stageTimestamp", `${path}.stageTimestamp`);
    const t = typeof ts === 'string' ? parseRfc3339Ns(ts) : undefined;
    if (t === undefined) return fail('K8SAUDIT_BAD_EVENT', 'stageTimestamp is not an RFC 3339 time', `${path}.stageTimestamp`);
    const size = measure ? Buffer.byteLength(JSON.stringify(v)) : 0;
    if (size > max) return fail('K8SAUDIT_EVENT_TOO_LARGE', `event larger than maxEventSize: size=${size}`, path);
    events.push({ obj: v, timeNs: t, num: num++ });
    return undefined;
  };
  // explicit stack: arrays of arrays must not recurse without bound
  const walk = (v: Json, path: string, depth: number): DecodeResult | undefined => {
    if (Array.isArray(v)) {
      if (depth >= maxDepth) return fail('K8SAUDIT_NOT_EVENT', 'arrays of events nest too deeply', path);
      for (let i = 0; i < v.length; i++) {
        const r = walk(v[i]!, `${path}[${i}]`, depth + 1);
        if (r) return r;
      }
      return undefined;
    }
    const kind = isObj(v) ? v.kind : undefined;
    if (kind === 'EventList') {
      const items = (v as { items?: Json }).items;
      if (items === undefined || items === null) return undefined; // an empty list
      if (!Array.isArray(items)) return fail('K8SAUDIT_NOT_EVENT', 'EventList items must be an array', `${path}.items`);
      for (let i = 0; i < items.length; i++) {
        const r = one(items[i]!, `${path}.items[${i}]`);
        if (r) return r;
      }
      return undefined;
    }
    if (kind === 'Event') return one(v, path);
    return fail('K8SAUDIT_NOT_EVENT', 'data not recognized as a k8s audit event (kind must be Event or EventList)', isObj(v) ? `${path}.kind` : path);
  };
  const r = walk(value, '$', 0);
  return r ?? { ok: true, events };
}

/** Parses and decodes one JSON text (a webhook body or one line of a log file). */
export function decodeText(text: string, opts: DecodeOptions = {}): DecodeResult {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch {
    const p = findJsonSyntaxError(text);
    const line = opts.line ?? p?.line;
    return {
      ok: false,
      error: error('K8SAUDIT_BAD_JSON', `invalid JSON: ${p?.message ?? 'cannot parse'}`, {
        file: opts.file, line, column: p?.column, offset: p?.offset, jsonPath: p?.jsonPath ?? '$',
      }),
    };
  }
  return decodeValue(value, { ...opts, sourceBytes: Buffer.byteLength(text) });
}

/** One decoded line of an audit log: its events, or its problem. */
export interface LineResult {
  line: number;
  result: DecodeResult;
}

/**
 * Decodes an audit log in JSON lines. Each non-empty line stands alone, so a bad line is
 * reported and skipped while the others are kept (like the k8saudit plugin's file reader).
 */
export function* decodeLines(text: string, opts: DecodeOptions = {}): Generator<LineResult> {
  let num = opts.firstNum ?? 1;
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const line = text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (line.trim() === '') continue;
    const result = decodeText(line, { ...opts, firstNum: num, line: lineNo });
    if (result.ok) num += result.events.length;
    yield { line: lineNo, result };
  }
}
