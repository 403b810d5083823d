/**
 * RPM version comparison: rpmvercmp segments and epoch:version-release (EVR).
 * @module
 */

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isAlnum = (c: string | undefined): boolean => isDigit(c) || isAlpha(c);

/** rpm's rpmvercmp on one version or release string: -1, 0 or 1. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    // `~` sorts before everything, even the end of the string.
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    // `^` sorts after the end of the string but before anything else.
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;
    let x = i;
    let y = j;
    const numeric = isDigit(a[x]);
    const inSeg = numeric ? isDigit : isAlpha;
    while (x < a.length && inSeg(a[x])) x++;
    while (y < b.length && inSeg(b[y])) y++;
    if (y === j) return numeric ? 1 : -1;
    let sa = a.slice(i, x);
    let sb = b.slice(j, y);
    if (numeric) {
      sa = sa.replace(/^0+/, '');
      sb = sb.replace(/^0+/, '');
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1;
    }
    if (sa !== sb) return sa < sb ? -1 : 1;
    i = x;
    j = y;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/** A parsed `[epoch:]version[-release]`. */
export interface Evr {
  epoch: number;
  version: string;
  release: string;
}

/** Parses an EVR string; missing epoch is 0 and a missing release is empty. */
export function parseEvr(s: string): Evr {
  let rest = s.trim();
  let epoch = 0;
  const colon = rest.indexOf(':');
  if (colon >= 0 && /^\d*$/.test(rest.slice(0, colon))) {
    epoch = Number(rest.slice(0, colon) || 0);
    rest = rest.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  return dash >= 0
    ? { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) }
    : { epoch, version: rest, release: '' };
}

/** Compares two RPM EVR strings; a side without a release matches any release. */
export function compareRpm(a: string, b: string): number {
  const x = parseEvr(a);
  const y = parseEvr(b);
  if (x.epoch !== y.epoch) return x.epoch < y.epoch ? -1 : 1;
  const v = rpmvercmp(x.version, y.version);
  if (v || !x.release || !y.release) return v;
  return rpmvercmp(x.release, y.release);
}
