/**
 * PEP 440 version specifiers (`~= == != <= >= < > ===`, `.*` prefixes), plus the `||`,
 * operator-less and `=` forms that Trivy's comparator accepts in advisories.
 * @module
 */
import {
  basePart,
  comparePep440Parsed as cmp,
  formatPep440,
  isPrerelease,
  parsePep440,
  publicPart,
  type Pep440Version,
} from './pep440.ts';

/** Options for matching: whether pre-releases may match (default: only if a clause names one). */
export interface Pep440MatchOptions {
  prereleases?: boolean;
  /**
   * Trivy's "WithPreRelease" mode: `<V` also admits pre-releases of V itself (2.0a1 < 2),
   * which PEP 440 excludes. Advisories converted from Trivy's data rely on it.
   */
  plainLessThan?: boolean;
}

interface Clause {
  op: string;
  spec: string;
}

function parseClauses(group: string): Clause[] | null {
  const out: Clause[] = [];
  const re = /\s*(~=|===|==|!=|<=|>=|<|>|=)?\s*((?:[^\s,<>=!~]|!(?!=))+)\s*,?/gy;
  const text = group.trim();
  if (text === '' || text === '*') return [];
  let m: RegExpExecArray | null;
  let last = 0;
  while (last < text.length && (m = re.exec(text))) {
    if (m[0] === '') break;
    out.push({ op: m[1] === '=' || !m[1] ? '==' : m[1], spec: m[2]! });
    last = re.lastIndex;
  }
  return last === text.length ? out : null;
}

// packaging's _version_split on a normalised string: epoch first, then release parts and suffixes.
function split(v: Pep440Version): string[] {
  const s = formatPep440(v);
  const bang = s.indexOf('!');
  const out = [bang >= 0 ? s.slice(0, bang) : '0'];
  for (const item of s.slice(bang + 1).split('.')) {
    const m = /^(\d+)((?:a|b|c|rc)\d+)$/.exec(item);
    if (m) out.push(m[1]!, m[2]!);
    else out.push(item);
  }
  return out;
}

function prefixMatch(v: Pep440Version, specText: string): boolean {
  const spec = parsePep440(specText);
  if (!spec) return false;
  const want = split(spec);
  const have = split(publicPart(v));
  const digits = (xs: string[]): number => {
    let i = 0;
    while (i < xs.length && /^\d+$/.test(xs[i]!)) i++;
    return i;
  };
  const hd = digits(have);
  const wd = digits(want);
  const padded = [
    ...have.slice(0, hd),
    ...Array(Math.max(0, wd - hd)).fill('0'),
    ...have.slice(hd),
  ];
  return want.every((p, i) => padded[i] === p);
}

function clauseMatches(v: Pep440Version, c: Clause, opts: Pep440MatchOptions): boolean | null {
  if (c.op === '===') return formatPep440(v) === c.spec.toLowerCase();
  if ((c.op === '==' || c.op === '!=') && c.spec.endsWith('.*')) {
    const r = prefixMatch(v, c.spec.slice(0, -2));
    return c.op === '==' ? r : !r;
  }
  const spec = parsePep440(c.spec);
  if (!spec) return null;
  switch (c.op) {
    case '==':
    case '!=': {
      const r = cmp(spec.local ? v : publicPart(v), spec) === 0;
      return c.op === '==' ? r : !r;
    }
    case '~=': {
      if (spec.release.length < 2) return null;
      const prefix = { epoch: spec.epoch, release: spec.release.slice(0, -1) };
      return cmp(publicPart(v), spec) >= 0 && prefixMatch(v, formatPep440(prefix));
    }
    case '<=':
      return cmp(publicPart(v), spec) <= 0;
    case '>=':
      return cmp(publicPart(v), spec) >= 0;
    case '<':
      if (cmp(v, spec) >= 0) return false;
      if (opts.plainLessThan) return true;
      return !(!isPrerelease(spec) && isPrerelease(v) && cmp(basePart(v), basePart(spec)) === 0);
    case '>':
      if (cmp(v, spec) <= 0) return false;
      if (spec.post === undefined && v.post !== undefined && cmp(basePart(v), basePart(spec)) === 0)
        return false;
      return !(v.local && cmp(basePart(v), basePart(spec)) === 0);
  }
  return null;
}

/**
 * Whether `version` satisfies `specifier`. Returns null when either is not valid PEP 440.
 * Clauses separated by `,` (or spaces) must all hold; `||` separates alternatives.
 */
export function satisfiesPep440(
  version: string,
  specifier: string,
  opts: Pep440MatchOptions = {},
): boolean | null {
  const v = parsePep440(version);
  if (!v) return null;
  let any = false;
  for (const group of specifier.split('||')) {
    const clauses = parseClauses(group);
    if (!clauses) return null;
    const allowPre =
      opts.prereleases ??
      clauses.some(
        (c) =>
          c.op !== '!=' &&
          isPrerelease(parsePep440(c.spec.replace(/\.\*$/, '')) ?? { epoch: 0, release: [] }),
      );
    if (isPrerelease(v) && !allowPre) continue;
    let ok = true;
    for (const c of clauses) {
      const r = clauseMatches(v, c, opts);
      if (r === null) return null;
      if (!r) ok = false;
    }
    if (ok) any = true;
  }
  return any;
}
