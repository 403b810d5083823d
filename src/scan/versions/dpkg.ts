/**
 * Debian package version comparison (`[epoch:]upstream[-revision]`), as `dpkg --compare-versions`.
 * @module
 */

/** A parsed Debian version. */
export interface DpkgVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

/** Splits a Debian version into epoch, upstream and revision; null when it is not one. */
export function parseDpkg(v: string): DpkgVersion | null {
  const s = v.trim();
  if (s === '') return null;
  let epoch = 0;
  let rest = s;
  const colon = s.indexOf(':');
  if (colon >= 0) {
    const e = s.slice(0, colon);
    if (!/^\d+$/.test(e)) return null;
    epoch = Number(e);
    rest = s.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  const upstream = dash >= 0 ? rest.slice(0, dash) : rest;
  const revision = dash >= 0 ? rest.slice(dash + 1) : '';
  // dpkg rejects an empty upstream part and a trailing '-' with no revision.
  if (upstream === '' || (dash >= 0 && revision === '')) return null;
  return { epoch, upstream, revision };
}

// `~` sorts before everything (even the end), letters before non-letters.
function order(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (/[0-9]/.test(c)) return 0;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

/** dpkg's verrevcmp: alternating non-digit and digit runs. */
export function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = order(a[i]);
      const bc = order(b[j]);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Compares two Debian versions: negative, zero or positive. Unparseable versions compare as strings. */
export function compareDpkg(a: string, b: string): number {
  const x = parseDpkg(a);
  const y = parseDpkg(b);
  if (!x || !y) return Math.sign(a.localeCompare(b));
  if (x.epoch !== y.epoch) return Math.sign(x.epoch - y.epoch);
  const u = verrevcmp(x.upstream, y.upstream);
  if (u) return Math.sign(u);
  return Math.sign(verrevcmp(x.revision, y.revision));
}
