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
  let out = '';
  let last = 0;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inStr) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inStr = false;
      continue;
    }
    if (c === 34) {
      inStr = true;
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      const m = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
      m.lastIndex = i;
      const tok = m.exec(text)![0];
      // an integer whose double prints differently would be rounded: keep it as bigint
      if (!/[.eE]/.test(tok) && String(Number(tok)) !== tok.replace(/^(-?)0+(?=\d)/, '$1')) {
        out += text.slice(last, i) + `"\\u0000int:${tok}"`;
        last = i + tok.length;
      }
      i += tok.length - 1;
    }
  }
  out += text.slice(last);
  return JSON.parse(out, (_k, v) => (typeof v === 'string' && v.startsWith(MARK) ? BigInt(v.slice(MARK.length)) : v));
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
