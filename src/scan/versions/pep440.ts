/**
 * PEP 440 versions: parsing, normalisation and ordering (as pypa/packaging).
 * @module
 */

/** A parsed PEP 440 version. */
export interface Pep440Version {
  epoch: number;
  release: number[];
  pre?: [string, number];
  post?: number;
  dev?: number;
  local?: (number | string)[];
}

const RE = new RegExp(
  '^v?(?:(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)' +
    '([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\\d+)?)?' +
    '((?:-(\\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\\d+)?))?' +
    '([-_.]?(dev)[-_.]?(\\d+)?)?)' +
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$',
  'i',
);

const PRE: Record<string, string> = {
  a: 'a',
  alpha: 'a',
  b: 'b',
  beta: 'b',
  c: 'rc',
  rc: 'rc',
  pre: 'rc',
  preview: 'rc',
};

/** Parses a PEP 440 version; null when it is not one. */
export function parsePep440(input: string): Pep440Version | null {
  const m = RE.exec(input.trim());
  if (!m) return null;
  const v: Pep440Version = {
    epoch: m[1] ? Number(m[1]) : 0,
    release: m[2]!.split('.').map(Number),
  };
  if (m[3]) v.pre = [PRE[m[4]!.toLowerCase()]!, m[5] ? Number(m[5]) : 0];
  if (m[6]) v.post = Number(m[7] ?? m[9] ?? 0);
  if (m[10]) v.dev = m[12] ? Number(m[12]) : 0;
  if (m[13])
    v.local = m[13]
      .toLowerCase()
      .split(/[-_.]/)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return v;
}

/** The canonical string form (`1.0.post0`, `1.0rc1`, `2!1.0+abc.5`). */
export function formatPep440(v: Pep440Version): string {
  let s = v.epoch ? `${v.epoch}!` : '';
  s += v.release.join('.');
  if (v.pre) s += v.pre[0] + v.pre[1];
  if (v.post !== undefined) s += `.post${v.post}`;
  if (v.dev !== undefined) s += `.dev${v.dev}`;
  if (v.local) s += '+' + v.local.join('.');
  return s;
}

/** Normalises a version string; null when it is not PEP 440. */
export function normalizePep440(input: string): string | null {
  const v = parsePep440(input);
  return v ? formatPep440(v) : null;
}

/** The public part, without the local label. */
export function publicPart(v: Pep440Version): Pep440Version {
  const out = { ...v };
  delete out.local;
  return out;
}

/** Release with epoch only (packaging's base_version). */
export function basePart(v: Pep440Version): Pep440Version {
  return { epoch: v.epoch, release: v.release };
}

/** True for pre-releases and dev releases. */
export function isPrerelease(v: Pep440Version): boolean {
  return v.pre !== undefined || v.dev !== undefined;
}

function cmpNum(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpRelease(a: number[], b: number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = cmpNum(a[i] ?? 0, b[i] ?? 0);
    if (c) return c;
  }
  return 0;
}

// Pre key: dev-only releases sort before any pre-release; finals sort after.
function preKey(v: Pep440Version): [number, number] {
  if (!v.pre && v.post === undefined && v.dev !== undefined) return [-1, 0];
  if (!v.pre) return [4, 0];
  return [['a', 'b', 'rc'].indexOf(v.pre[0]), v.pre[1]];
}

function cmpLocal(a?: (number | string)[], b?: (number | string)[]): number {
  if (!a && !b) return 0;
  if (!a) return -1;
  if (!b) return 1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return cmpNum(x, y);
    } else if (typeof x === 'number') return 1;
    else if (typeof y === 'number') return -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return cmpNum(a.length, b.length);
}

/** Orders two parsed versions. */
export function comparePep440Parsed(a: Pep440Version, b: Pep440Version): number {
  let c = cmpNum(a.epoch, b.epoch) || cmpRelease(a.release, b.release);
  if (c) return c;
  const pa = preKey(a);
  const pb = preKey(b);
  c = cmpNum(pa[0], pb[0]) || cmpNum(pa[1], pb[1]);
  if (c) return c;
  c = cmpNum(a.post ?? -1, b.post ?? -1);
  if (c) return c;
  c = cmpNum(a.dev ?? Infinity, b.dev ?? Infinity);
  if (c) return c;
  return cmpLocal(a.local, b.local);
}

/** Compares two PEP 440 version strings; unparseable strings compare as text. */
export function comparePep440(a: string, b: string): number {
  const x = parsePep440(a);
  const y = parsePep440(b);
  if (!x || !y) return Math.sign(a.localeCompare(b));
  return comparePep440Parsed(x, y);
}
