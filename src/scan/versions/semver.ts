/**
 * SemVer 2.0.0 and npm ranges, through the `semver` package (the reference implementation).
 * @module
 */
import semver from 'semver';

/** Options shared with node-semver. */
export interface SemverOptions {
  loose?: boolean;
  includePrerelease?: boolean;
}

/** Compares two semantic versions; invalid versions compare as text. */
export function compareSemver(a: string, b: string, opts: SemverOptions = {}): number {
  const x = semver.parse(a, opts);
  const y = semver.parse(b, opts);
  if (!x || !y) return Math.sign(a.localeCompare(b));
  return x.compare(y);
}

/** Whether `version` satisfies the npm range; false when either is invalid. */
export function satisfiesSemver(version: string, range: string, opts: SemverOptions = {}): boolean {
  return semver.satisfies(version, range, opts);
}

/** Whether the version is above every version in the range. */
export function gtRange(version: string, range: string, opts: SemverOptions = {}): boolean {
  return safe(() => semver.gtr(version, range, opts));
}

/** Whether the version is below every version in the range. */
export function ltRange(version: string, range: string, opts: SemverOptions = {}): boolean {
  return safe(() => semver.ltr(version, range, opts));
}

/** Parses a version into its parts; null when invalid. */
export function parseSemver(
  v: string,
  opts: SemverOptions = {},
): {
  major: number;
  minor: number;
  patch: number;
  prerelease: (string | number)[];
  build: string[];
} | null {
  const p = semver.parse(v, opts);
  if (!p) return null;
  return {
    major: p.major,
    minor: p.minor,
    patch: p.patch,
    prerelease: [...p.prerelease],
    build: [...p.build],
  };
}

// node-semver throws on an invalid range here (satisfies returns false instead); we never throw.
function safe(f: () => boolean): boolean {
  try {
    return f();
  } catch {
    return false;
  }
}
