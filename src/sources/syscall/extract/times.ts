/**
 * Timestamp formats of evt.time, evt.time.iso8601, evt.datetime (UTC like the alert prefix, ns precision).
 * @module
 */

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function parts(ns: bigint): { d: Date; frac: string } {
  const ms = Number(ns / 1_000_000n);
  return { d: new Date(ms), frac: pad(Number(ns % 1_000_000_000n), 9) };
}

/** `HH:MM:SS.nnnnnnnnn` (UTC). */
export function timeOfDay(ns: bigint): string {
  const { d, frac } = parts(ns);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${frac}`;
}

/** `HH:MM:SS`. */
export function timeOfDaySeconds(ns: bigint): string {
  const { d } = parts(ns);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function ymd(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** `YYYY-MM-DD HH:MM:SS.nnnnnnnnn`. */
export function dateTime(ns: bigint): string {
  return `${ymd(parts(ns).d)} ${timeOfDay(ns)}`;
}

/** `YYYY-MM-DD HH:MM:SS`. */
export function dateTimeSeconds(ns: bigint): string {
  return `${ymd(parts(ns).d)} ${timeOfDaySeconds(ns)}`;
}

/** `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+0000` (UTC), as evt.time.iso8601 prints. */
export function iso8601Local(ns: bigint): string {
  return `${ymd(parts(ns).d)}T${timeOfDay(ns)}+0000`;
}

/** `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` (UTC), the alert `time` field. */
export function iso8601Utc(ns: bigint): string {
  const { d, frac } = parts(ns);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${frac}Z`;
}
