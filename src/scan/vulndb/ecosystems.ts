/**
 * Ecosystem keys: how advisories and packages meet (`alpine:3.10`, `debian:12`, `npm`, `pypi`).
 * @module
 */

/** Debian codenames to major release numbers. */
export const DEBIAN_CODENAMES: Record<string, string> = {
  wheezy: '7',
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
};

/** Normalises a package name the way the ecosystem compares names. */
export function normalizePackageName(ecosystem: string, name: string): string {
  if (ecosystem === 'pypi') return name.toLowerCase().replace(/[-_.]+/g, '-');
  return name;
}

/** Maps an OSV ecosystem string to Vigil's key; undefined for ecosystems Vigil does not match. */
export function fromOsvEcosystem(eco: string): string | undefined {
  const [base, rel] = eco.split(':');
  switch (base) {
    case 'PyPI':
      return 'pypi';
    case 'npm':
      return 'npm';
    case 'Go':
      return 'go';
    case 'Maven':
      return 'maven';
    case 'Alpine':
      return rel ? `alpine:${rel.replace(/^v/, '')}` : undefined;
    case 'Debian':
      return rel ? `debian:${rel.split('.')[0]}` : undefined;
    case 'Ubuntu':
      return rel ? `ubuntu:${rel.replace(/:.*$/, '')}` : undefined;
    default:
      return base ? base.toLowerCase() : undefined;
  }
}

/** The ecosystem key for an OS release: alpine by major.minor, debian by major, others by version. */
export function osEcosystem(family: string, version: string): string {
  if (family === 'alpine') return `alpine:${version.split('.').slice(0, 2).join('.')}`;
  if (family === 'debian') return `debian:${version.split('.')[0]}`;
  if (['rhel', 'centos', 'rocky', 'almalinux', 'ol'].includes(family))
    return `${family}:${version.split('.')[0]}`;
  return `${family}:${version}`;
}
