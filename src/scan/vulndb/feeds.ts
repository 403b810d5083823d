/**
 * The public feeds `vigil db update` fetches, built from configurable base URLs so a mirror
 * (or a test's local server) can stand in: OSV's per-ecosystem `all.zip`, Alpine's secdb per
 * release and repository, and the Debian security tracker's JSON.
 * @module
 */

/** Where each family of feeds lives. */
export interface FeedBases {
  osv: string;
  alpine: string;
  debian: string;
}

/** The public locations. */
export const DEFAULT_BASES: FeedBases = {
  osv: 'https://osv-vulnerabilities.storage.googleapis.com',
  alpine: 'https://secdb.alpinelinux.org',
  debian: 'https://security-tracker.debian.org/tracker/data/json',
};

/** OSV ecosystems fetched by default (language packages; distros come from their own feeds). */
export const DEFAULT_OSV_ECOSYSTEMS = ['Go', 'Maven', 'npm', 'PyPI'];
/** Alpine releases fetched by default. */
export const DEFAULT_ALPINE_RELEASES = ['3.17', '3.18', '3.19', '3.20', '3.21', '3.22'];

/** One feed to download: a stable id (cache name, status) and its URL. */
export interface Feed {
  id: string;
  url: string;
}

/** The feed list for the given bases, ecosystems and releases. */
export function feedList(
  bases: Partial<FeedBases> = {},
  opts: { ecosystems?: string[]; alpine?: string[]; debian?: boolean } = {},
): Feed[] {
  const b = { ...DEFAULT_BASES, ...bases };
  const trim = (s: string) => s.replace(/\/+$/, '');
  const out: Feed[] = [];
  for (const eco of opts.ecosystems ?? DEFAULT_OSV_ECOSYSTEMS)
    out.push({ id: `osv-${eco}`, url: `${trim(b.osv)}/${encodeURIComponent(eco)}/all.zip` });
  for (const rel of opts.alpine ?? DEFAULT_ALPINE_RELEASES)
    for (const repo of ['main', 'community'])
      out.push({ id: `alpine-${rel}-${repo}`, url: `${trim(b.alpine)}/v${rel}/${repo}.json` });
  if (opts.debian !== false) out.push({ id: 'debian-tracker', url: b.debian });
  return out;
}
