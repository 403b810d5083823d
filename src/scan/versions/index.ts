/**
 * versions: one comparator per ecosystem, chosen by scheme name.
 * @module
 */
import { compareApk } from './apk.ts';
import { compareDpkg } from './dpkg.ts';
import { comparePep440 } from './pep440.ts';
import { compareRpm } from './rpm.ts';
import { compareSemver } from './semver.ts';

export { compareApk, isValidApk, matchApk } from './apk.ts';
export { compareDpkg, parseDpkg, verrevcmp } from './dpkg.ts';
export { comparePep440, normalizePep440, parsePep440 } from './pep440.ts';
export { satisfiesPep440 } from './pep440-specifier.ts';
export { compareRpm, rpmvercmp, parseEvr } from './rpm.ts';
export { compareSemver, satisfiesSemver, gtRange, ltRange, parseSemver } from './semver.ts';

/** The version schemes Vigil compares. */
export type VersionScheme = 'apk' | 'dpkg' | 'rpm' | 'semver' | 'pep440' | 'generic';

/** Comparators by scheme, sorted by name. */
const comparators: Record<VersionScheme, (a: string, b: string) => number> = {
  apk: compareApk,
  dpkg: compareDpkg,
  generic: (a, b) => Math.sign(a.localeCompare(b, 'en', { numeric: true })),
  pep440: comparePep440,
  rpm: compareRpm,
  semver: (a, b) => compareSemver(a, b, { loose: true }),
};

/** Compares two versions under a scheme: negative, zero or positive. */
export function compareVersions(scheme: VersionScheme, a: string, b: string): number {
  return Math.sign(comparators[scheme](a, b));
}
