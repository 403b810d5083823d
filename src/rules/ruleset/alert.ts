/**
 * `toAlert`: a matched rule and event -> Falco's JSON alert (keys in Falco's sorted order,
 * ISO-8601 time with nanoseconds, text line `HH:MM:SS.nnnnnnnnn: Priority output`).
 * @module
 */
import type { Alert } from '../../core/index.ts';
import type { CompiledRule } from '../loader/index.ts';

/** Alert-time settings. */
export interface AlertOptions {
  hostname: string;
  /** Event time, nanoseconds since the epoch. */
  timeNs: bigint | number;
  /** Falco's `time_format_iso_8601`: prefix the text line with the ISO time instead of HH:MM:SS. */
  iso8601?: boolean;
}

function splitNs(timeNs: bigint | number): { date: Date; ns: string } {
  const t = BigInt(timeNs);
  const secs = t / 1_000_000_000n;
  const frac = t % 1_000_000_000n;
  return { date: new Date(Number(secs) * 1000), ns: frac.toString().padStart(9, '0') };
}

/** `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` (UTC). */
export function isoTime(timeNs: bigint | number): string {
  const { date, ns } = splitNs(timeNs);
  return `${date.toISOString().slice(0, 19)}.${ns}Z`;
}

/** `HH:MM:SS.nnnnnnnnn` (UTC), Falco's `%evt.time`. */
export function clockTime(timeNs: bigint | number): string {
  const { date, ns } = splitNs(timeNs);
  return `${date.toISOString().slice(11, 19)}.${ns}`;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k]!;
  return out;
}

/** Builds the alert for `rule` firing on `event`. */
export function toAlert<E>(rule: CompiledRule<E>, event: E, opts: AlertOptions): Alert {
  const text = rule.formatter.render(event);
  const prefix = opts.iso8601 ? isoTime(opts.timeNs) : clockTime(opts.timeNs);
  const fields: Alert['output_fields'] = { ...rule.formatter.fields(event) };
  // JSON numbers cannot carry every nanosecond of a 2020s timestamp; Falco prints the integer
  fields['evt.time'] = Number(BigInt(opts.timeNs));
  if (rule.formatter.extraFields) Object.assign(fields, rule.formatter.extraFields(event));
  return {
    hostname: opts.hostname,
    output: `${prefix}: ${rule.priority} ${text}`,
    output_fields: sortKeys(fields),
    priority: rule.priority,
    rule: rule.name,
    source: rule.source,
    tags: [...rule.tags].sort(),
    time: isoTime(opts.timeNs),
  };
}
