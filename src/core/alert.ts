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
