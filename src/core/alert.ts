/**
 * The alert: Falco's JSON alert shape, shared by the ruleset (which makes alerts), the outputs
 * (which deliver them), the store and the server.
 * @module
 */

/** Falco's priority names, most severe first (numeric order EMERGENCY=0 ... DEBUG=7). */
export const PRIORITIES = [
  'Emergency',
  'Alert',
  'Critical',
  'Error',
  'Warning',
  'Notice',
  'Informational',
  'Debug',
] as const;

/** A priority as rendered in alerts. */
export type Priority = (typeof PRIORITIES)[number];

/** One alert, with exactly the keys of Falco's JSON output (`json_output: true`). */
export interface Alert {
  hostname: string;
  /** Full text line: `<time>: <Priority> <rendered output>`. */
  output: string;
  /** Every `%field` of the rule output plus `evt.time` (ns), typed JSON values. */
  output_fields: Record<string, string | number | boolean | null | (string | number)[]>;
  priority: Priority;
  rule: string;
  source: string;
  tags: string[];
  /** ISO-8601 UTC with nanoseconds, `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`. */
  time: string;
}

/** Nanoseconds since the epoch of an alert's ISO-8601 `time` (exact, as a decimal string). */
export function alertTimeNs(time: string): string | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(time);
  if (!m) return undefined;
  const secs = BigInt(Date.parse(m[1] + 'Z') / 1000);
  return (secs * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'))).toString();
}

/**
 * JSON text of an alert (or an alert-shaped object) with `output_fields["evt.time"]` printed as
 * the exact integer Falco prints: a JS number cannot hold nanoseconds since the epoch.
 */
export function stringifyAlert(a: { time?: unknown; output_fields?: Record<string, unknown> }): string {
  const text = JSON.stringify(a);
  const ns = typeof a.time === 'string' ? alertTimeNs(a.time) : undefined;
  if (!ns || typeof a.output_fields?.['evt.time'] !== 'number') return text;
  return text.replace(/"evt\.time":-?[0-9.eE+]+/, `"evt.time":${ns}`);
}
