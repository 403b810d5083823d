/**
 * OS detection from os-release, alpine-release, debian_version and redhat-release.
 * @module
 */
import type { FileView } from '../../image/index.ts';
import type { OsInfo } from '../types.ts';

/** Paths this detector reads. */
export const OS_FILES = [
  'etc/os-release',
  'usr/lib/os-release',
  'etc/alpine-release',
  'etc/debian_version',
  'etc/redhat-release',
  'etc/lsb-release',
];

/** Parses `KEY=value` lines with optional quotes. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.trim().replace(/^(["'])(.*)\1$/, '$2');
  }
  return out;
}

/** Detects the OS of a merged file system; undefined when none is recognisable. */
export function detectOs(view: FileView): OsInfo | undefined {
  const alpine = view.read('etc/alpine-release')?.toString('utf8').trim();
  const rel = view.read('etc/os-release') ?? view.read('usr/lib/os-release');
  const kv = rel ? parseOsRelease(rel.toString('utf8')) : {};
  if (alpine) return { family: 'alpine', version: alpine, prettyName: kv.PRETTY_NAME };
  const debian = view.read('etc/debian_version')?.toString('utf8').trim();
  if (kv.ID) {
    const info: OsInfo = { family: kv.ID.toLowerCase(), version: kv.VERSION_ID ?? '' };
    if (kv.PRETTY_NAME) info.prettyName = kv.PRETTY_NAME;
    if (kv.VERSION_CODENAME) info.codename = kv.VERSION_CODENAME;
    // Debian's os-release has no VERSION_ID on testing/sid; debian_version does (e.g. "12.5").
    if (info.family === 'debian' && debian && /^\d/.test(debian)) info.version = debian;
    return info;
  }
  if (debian) return { family: 'debian', version: debian };
  const redhat = view.read('etc/redhat-release')?.toString('utf8').trim();
  if (redhat) {
    const m = /^(.*?) release (\S+)/.exec(redhat);
    const name = (m?.[1] ?? '').toLowerCase();
    const family = name.includes('centos')
      ? 'centos'
      : name.includes('fedora')
        ? 'fedora'
        : name.includes('rocky')
          ? 'rocky'
          : 'rhel';
    return { family, version: m?.[2] ?? '', prettyName: redhat };
  }
  return undefined;
}
