/**
 * Whether a version is inside an advisory's affected set, in the package's version scheme.
 * @module
 */
import {
  compareVersions,
  satisfiesPep440,
  satisfiesSemver,
  type VersionScheme,
} from '../versions/index.ts';
import type { Advisory, RangeEvent } from '../vulndb/index.ts';

/** Version scheme of each package type. */
export const SCHEME_OF: Record<string, VersionScheme> = {
  apk: 'apk',
  deb: 'dpkg',
  rpm: 'rpm',
  npm: 'semver',
  pypi: 'pep440',
  golang: 'semver',
  maven: 'generic',
};

// OSV ranges: each `introduced` opens an interval closed by the next `fixed` (exclusive)
// or `last_affected` (inclusive); "0" means from the beginning.
function inOsvRange(scheme: VersionScheme, v: string, events: RangeEvent[]): boolean {
  const cmp = (a: string, b: string): number =>
    a === '0' ? (b === '0' ? 0 : -1) : b === '0' ? 1 : compareVersions(scheme, a, b);
  const sorted = [...events].sort((a, b) =>
    cmp(
      a.introduced ?? a.fixed ?? a.last_affected ?? a.limit ?? '0',
      b.introduced ?? b.fixed ?? b.last_affected ?? b.limit ?? '0',
    ),
  );
  let affected = false;
  for (const e of sorted) {
    if (e.introduced !== undefined && cmp(v, e.introduced) >= 0) affected = true;
    else if (e.fixed !== undefined && cmp(v, e.fixed) >= 0) affected = false;
    else if (e.last_affected !== undefined && cmp(v, e.last_affected) > 0) affected = false;
    else if (e.limit !== undefined && cmp(v, e.limit) >= 0) affected = false;
  }
  return affected;
}

/** Evaluates an ecosystem constraint expression (`< 1.2`, `>=1.0, <1.3`, `1.x || 2.x`). */
export function satisfiesConstraint(scheme: VersionScheme, v: string, expr: string): boolean {
  if (scheme === 'semver') {
    // Trivy's ranges separate clauses with commas; npm ranges use spaces.
    return satisfiesSemver(v, expr.replace(/,\s*/g, ' '), { loose: true });
  }
  if (scheme === 'pep440')
    return satisfiesPep440(v, expr, { prereleases: true, plainLessThan: true }) === true;
  return expr.split('||').some((alt) =>
    alt.split(',').every((clause) => {
      const m = /^\s*(<=|>=|<|>|==|=|!=)?\s*(\S+)\s*$/.exec(clause);
      if (!m) return false;
      const c = compareVersions(scheme, v, m[2]!);
      switch (m[1] ?? '=') {
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
        case '!=':
          return c !== 0;
        default:
          return c === 0;
      }
    }),
  );
}

/** Whether `version` is affected by the advisory. */
export function isAffected(scheme: VersionScheme, version: string, a: Advisory): boolean {
  if (a.status === 'not_affected' || a.status === 'withdrawn') return false;
  const aff = a.affected;
  if (aff?.versions?.includes(version)) return true;
  if (aff?.ranges?.length) return aff.ranges.some((r) => inOsvRange(scheme, version, r));
  if (aff?.vulnerable?.length)
    return aff.vulnerable.some((e) => satisfiesConstraint(scheme, version, e));
  if (aff?.patched?.length)
    return !aff.patched.some((e) => satisfiesConstraint(scheme, version, e));
  if (aff?.versions?.length) return false;
  if (a.fixed) return compareVersions(scheme, version, a.fixed) < 0;
  // No fixed version: every installed version is affected (unfixed, will_not_fix, …).
  return true;
}
