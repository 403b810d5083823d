/**
 * Debian security tracker: the JSON export (source package → CVE → release status) and the
 * DSA/DLA text lists (`[date] DSA-N-1 pkg - …`, `{CVE…}`, `[release] - pkg version`).
 * @module
 */
import { DEBIAN_CODENAMES } from './ecosystems.ts';
import { parseSeverity, type Advisory, type ImportBatch, type VulnRecord } from './types.ts';

const SOURCE = {
  id: 'debian',
  name: 'Debian Security Tracker',
  url: 'https://security-tracker.debian.org/tracker/',
};

type TrackerJson = Record<
  string,
  Record<
    string,
    {
      description?: string;
      releases?: Record<string, { status?: string; fixed_version?: string; urgency?: string }>;
    }
  >
>;

/** True when a parsed document looks like the tracker's JSON export. */
export function isDebianTracker(doc: unknown): doc is TrackerJson {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false;
  const first = Object.values(doc)[0] as Record<string, { releases?: unknown }> | undefined;
  const cve = first && Object.values(first)[0];
  return typeof cve === 'object' && cve !== null && 'releases' in cve;
}

/** Converts the tracker JSON. "resolved" with fixed_version 0 means never affected. */
export function importDebianTracker(doc: TrackerJson): ImportBatch {
  const advisories: Advisory[] = [];
  const vulns: VulnRecord[] = [];
  for (const [pkg, cves] of Object.entries(doc)) {
    for (const [id, info] of Object.entries(cves)) {
      if (!/^CVE-/.test(id)) continue;
      if (info.description) vulns.push({ id, description: info.description });
      for (const [codename, r] of Object.entries(info.releases ?? {})) {
        const major = DEBIAN_CODENAMES[codename];
        if (!major) continue;
        const fixed = r.fixed_version && r.fixed_version !== '0' ? r.fixed_version : undefined;
        const status =
          r.status === 'resolved'
            ? fixed
              ? 'fixed'
              : 'not_affected'
            : r.status === 'open'
              ? 'affected'
              : r.status === 'undetermined'
                ? 'under_investigation'
                : 'affected';
        const a: Advisory = {
          source: 'debian',
          ecosystem: `debian:${major}`,
          package: pkg,
          vulnId: id,
          status,
        };
        if (fixed) a.fixed = fixed;
        const sev = parseSeverity(
          r.urgency === 'unimportant'
            ? 'LOW'
            : r.urgency === 'not yet assigned'
              ? undefined
              : r.urgency,
        );
        if (sev) a.severity = sev;
        advisories.push(a);
      }
    }
  }
  return { source: SOURCE, advisories, vulns };
}

/** True when text looks like a DSA/DLA list. */
export function isDebianList(text: string): boolean {
  return /^\[\d{2} \w{3} \d{4}\] D[SL]A-\d+/m.test(text);
}

/** Converts a DSA/DLA list: each `[release] - pkg version` fixes the entry's CVEs there. */
export function importDebianList(text: string): ImportBatch {
  const advisories: Advisory[] = [];
  let cves: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\[/.test(line)) cves = [];
    const ids = /^\s+\{([^}]*)\}/.exec(line);
    if (ids) cves = ids[1]!.split(/\s+/).filter((s) => s.startsWith('CVE-'));
    const fix = /^\s+\[(\w+)\] - (\S+) (\S+)/.exec(line);
    if (!fix) continue;
    const major = DEBIAN_CODENAMES[fix[1]!];
    if (!major) continue;
    const notAffected = fix[3] === '<not-affected>';
    for (const id of cves) {
      const a: Advisory = {
        source: 'debian',
        ecosystem: `debian:${major}`,
        package: fix[2]!,
        vulnId: id,
        status: notAffected ? 'not_affected' : 'fixed',
      };
      if (!fix[3]!.startsWith('<')) a.fixed = fix[3]!;
      advisories.push(a);
    }
  }
  return { source: SOURCE, advisories, vulns: [] };
}
