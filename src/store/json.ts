/**
 * JSON that keeps 64-bit integers exact. Falco's output_fields carry nanosecond times and
 * other int64 values above 2^53, which `JSON.parse` would round; here integers that a double
 * would change become `bigint` on parse and are written back as bare digits, so an alert
 * round-trips byte-exact.
 * @module
 */

const MARK = '\u0000int:';
const LONG_DIGITS = /\d{16}/;

/** `JSON.parse`, with integers a double cannot hold returned as `bigint`. */
export function parseJsonExact(text: string): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  // strings are matched whole so digits inside them are left alone; only bare integers of 16+
  // digits (not followed by a fraction or exponent) are candidates
  let big = false;
  const marked = text.replace(/"(?:[^"\\]|\\.)*"|-?\d{16,}(?![.eE\d])/g, (tok) => {
    if (tok.charCodeAt(0) === 34 || String(Number(tok)) === tok) return tok;
    big = true; // a double would round it: keep it as bigint
    return `"\\u0000int:${tok}"`;
  });
  if (!big) return JSON.parse(text);
  return JSON.parse(marked, (_k, v) => (typeof v === 'string' && v.startsWith(MARK) ? BigInt(v.slice(MARK.length)) : v));
}

/** `JSON.stringify` that writes `bigint` values as bare integer literals. */
export function stringifyExact(value: unknown): string {
  let big = false;
  const s = JSON.stringify(value, (_k, v) => {
    if (typeof v !== 'bigint') return v;
    big = true;
    return MARK + v.toString();
  });
  return big ? s.replace(/"\\u0000int:(-?\d+)"/g, '$1') : s;
}
