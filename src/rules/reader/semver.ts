/**
 * Minimal `x.y.z` version parsing and Falco's compatibility rule (same major, at least the
 * required version), as used for engine and plugin version requirements.
 * @module
 */

/** Parses `x.y.z` (an optional `-pre`/`+build` suffix is ignored); undefined when invalid. */
export function parseSemver(text: string): [number, number, number] | undefined {
  const m = /^\s*(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?\s*$/.exec(text);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** True when `text` is a valid `x.y.z` version. */
export function isValidSemver(text: string): boolean {
  return parseSemver(text) !== undefined;
}

/** Compares two parsed versions (-1, 0, 1). */
export function compareSemver(a: [number, number, number], b: [number, number, number]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/** Falco's `compatible_with`: same major and `have` >= `need`. */
export function semverCompatible(have: string, need: string): boolean {
  const h = parseSemver(have);
  const n = parseSemver(need);
  if (!h || !n) return false;
  return h[0] === n[0] && compareSemver(h, n) >= 0;
}
