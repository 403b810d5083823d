/**
 * kube-bench's comparison operators and value extraction (flag, JSONPath, env), ported from
 * its documented semantics.
 * @module
 */

function splitList(s: string): string[] {
  const parts = s.split(',').map((x) => x.trim());
  while (parts.length && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function allElementsValid(s: string[], t: string[]): boolean {
  if (s.length === 0 && t.length === 0) return true;
  if (s.length === 0 || t.length === 0) return false;
  return s.every((x) => t.includes(x));
}

function toInt(s: string): number | undefined {
  const t = s.trim();
  return /^[+-]?\d+$/.test(t) ? Number(t) : undefined;
}

/** Applies a compare op; returns the expected-result text and whether the value satisfies it. */
export function compareOp(
  op: string,
  flagVal: string,
  want: string,
  flagName: string,
): { expected: string; ok: boolean } {
  const lower = flagVal.toLowerCase();
  const isBool = lower === 'true' || lower === 'false';
  switch (op) {
    case 'eq':
      return {
        expected: `'${flagName}' is equal to '${want}'`,
        ok: isBool ? lower === want : flagVal === want,
      };
    case 'noteq':
      return {
        expected: `'${flagName}' is not equal to '${want}'`,
        ok: isBool ? lower !== want : flagVal !== want,
      };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const a = toInt(flagVal);
      const b = toInt(want);
      if (a === undefined || b === undefined)
        return {
          expected: `Invalid Number(s) used for comparison: '${flagVal}' '${want}'`,
          ok: false,
        };
      const words = {
        gt: 'greater than',
        gte: 'greater or equal to',
        lt: 'lower than',
        lte: 'lower or equal to',
      }[op];
      const ok = op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : a <= b;
      return { expected: `'${flagName}' is ${words} ${want}`, ok };
    }
    case 'has':
      return { expected: `'${flagName}' has '${want}'`, ok: flagVal.includes(want) };
    case 'nothave':
      return { expected: `'${flagName}' does not have '${want}'`, ok: !flagVal.includes(want) };
    case 'regex': {
      let ok = false;
      try {
        ok = new RegExp(want).test(flagVal);
      } catch {
        ok = false;
      }
      return { expected: `'${flagName}' matched by regex expression '${want}'`, ok };
    }
    case 'valid_elements':
      return {
        expected: `'${flagName}' contains valid elements from '${want}'`,
        ok: allElementsValid(splitList(flagVal), splitList(want)),
      };
    case 'bitmask': {
      if (!/^[0-7]+$/.test(flagVal.trim()))
        return { expected: `Not numeric value - flag: "${flagVal}"`, ok: false };
      if (!/^[0-7]+$/.test(want.trim()))
        return { expected: `Not numeric value - flag: "${want}"`, ok: false };
      const req = parseInt(flagVal, 8);
      const max = parseInt(want, 8);
      return {
        expected: `${flagName} has permissions ${flagVal}, expected ${want} or more restrictive`,
        ok: (max & req) === req,
      };
    }
    default:
      // unknown ops never pass (kube-bench returns an empty expectation and false)
      return { expected: '', ok: false };
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Finds a flag in audit output: `--flag=value`, `flag: value`, or a bare `--flag` (true). */
export function findFlag(s: string, flag: string): { match: boolean; value: string } {
  if (s === '' || flag === '' || !s.includes(flag)) return { match: false, value: '' };
  const m = new RegExp(`(${escapeRe(flag)})(=|: *)*([^\\s]*) *`).exec(s);
  if (!m) return { match: true, value: '' };
  if (m[3]) return { match: true, value: m[3] };
  return { match: true, value: flag.startsWith('--') ? 'true' : m[1]! };
}

/** Finds `NAME=value` in audit_env output. */
export function findEnv(s: string, env: string): { match: boolean; value: string } {
  if (s === '' || env === '') return { match: false, value: '' };
  const m = new RegExp(`${escapeRe(env)}=(.*)(?:$|\\n)`, 'm').exec(s);
  return m && m[1] ? { match: true, value: m[1] } : { match: false, value: '' };
}
