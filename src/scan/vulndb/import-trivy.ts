/**
 * Trivy's fixture database (bolt-fixtures YAML: buckets of pairs) converted to Vigil's records,
 * so Vigil can be compared with Trivy's golden results on the same data.
 * @module
 */
import { normalizePackageName } from './ecosystems.ts';
import {
  parseSeverity,
  type Advisory,
  type ImportBatch,
  type SeverityLevel,
  type VulnRecord,
} from './types.ts';

interface Pair {
  bucket?: string;
  key?: string;
  pairs?: Pair[];
  value?: unknown;
}

const STATUS = [
  'unknown',
  'not_affected',
  'affected',
  'fixed',
  'under_investigation',
  'will_not_fix',
  'fix_deferred',
  'end_of_life',
];

const LANG: Record<string, string> = {
  npm: 'npm',
  pip: 'pypi',
  go: 'go',
  maven: 'maven',
  rubygems: 'gem',
  cargo: 'cargo',
  composer: 'composer',
  nuget: 'nuget',
};

/** True when a parsed YAML document is a bolt-fixtures bucket list. */
export function isTrivyFixture(doc: unknown): doc is Pair[] {
  return Array.isArray(doc) && doc.length > 0 && typeof (doc[0] as Pair).bucket === 'string';
}

/** Maps a Trivy bucket name (`alpine 3.10`, `debian 10`, `npm::GitHub…`) to an ecosystem key. */
export function bucketEcosystem(bucket: string): { ecosystem: string; source: string } | undefined {
  const lang = /^(\w+)::(.*)$/.exec(bucket);
  if (lang) {
    const eco = LANG[lang[1]!];
    return eco
      ? {
          ecosystem: eco,
          source: lang[2]!.toLowerCase().includes('github')
            ? 'ghsa'
            : lang[2]!.toLowerCase().replace(/\s+/g, '-'),
        }
      : undefined;
  }
  const os = /^(alpine|debian|ubuntu) (\S+)$/.exec(bucket);
  if (os) return { ecosystem: `${os[1]}:${os[2]}`, source: os[1]! };
  return undefined;
}

/** Converts every bucket Vigil understands; returns one batch per data source. */
export function importTrivyFixture(doc: Pair[]): ImportBatch[] {
  const batches = new Map<string, ImportBatch>();
  const names = new Map<string, { ID?: string; Name?: string; URL?: string }>();
  const vulns: VulnRecord[] = [];
  const batch = (id: string): ImportBatch => {
    let b = batches.get(id);
    if (!b) batches.set(id, (b = { source: { id, name: id }, advisories: [], vulns: [] }));
    return b;
  };
  for (const top of doc) {
    if (top.bucket === 'data-source') {
      for (const p of top.pairs ?? [])
        names.set(p.key!, p.value as { ID?: string; Name?: string; URL?: string });
      continue;
    }
    if (top.bucket === 'vulnerability') {
      for (const p of top.pairs ?? [])
        vulns.push(toVuln(p.key!, p.value as Record<string, unknown>));
      continue;
    }
    const eco = bucketEcosystem(top.bucket ?? '');
    if (!eco) continue;
    const ds = names.get(top.bucket!);
    const sourceId = ds?.ID ?? eco.source;
    const b = batch(sourceId);
    if (ds?.Name) b.source = { id: sourceId, name: ds.Name, ...(ds.URL ? { url: ds.URL } : {}) };
    for (const pkg of top.pairs ?? []) {
      for (const v of pkg.pairs ?? []) {
        const val = (v.value ?? {}) as {
          FixedVersion?: string;
          Status?: number;
          Severity?: number;
          VulnerableVersions?: string[];
          PatchedVersions?: string[];
        };
        const a: Advisory = {
          source: sourceId,
          ecosystem: eco.ecosystem,
          package: normalizePackageName(eco.ecosystem, pkg.bucket!),
          vulnId: v.key!,
          status:
            val.Status !== undefined
              ? (STATUS[val.Status] ?? 'affected')
              : val.FixedVersion
                ? 'fixed'
                : 'affected',
        };
        if (val.FixedVersion) a.fixed = val.FixedVersion;
        if (val.VulnerableVersions || val.PatchedVersions) {
          a.affected = {
            ...(val.VulnerableVersions ? { vulnerable: val.VulnerableVersions } : {}),
            ...(val.PatchedVersions ? { patched: val.PatchedVersions } : {}),
          };
          if (!a.fixed && val.PatchedVersions?.length) a.fixed = val.PatchedVersions.join(', ');
        }
        const sev = val.Severity !== undefined ? parseSeverity(val.Severity) : undefined;
        if (sev) a.severity = sev;
        b.advisories.push(a);
      }
    }
  }
  // The vulnerability bucket may come in its own file: keep it as a batch of its own.
  if (vulns.length) batch('trivy-vulnerability').vulns.push(...vulns);
  return [...batches.values()];
}

function toVuln(id: string, v: Record<string, unknown>): VulnRecord {
  const r: VulnRecord = { id };
  if (typeof v.Title === 'string') r.title = v.Title;
  if (typeof v.Description === 'string') r.description = v.Description;
  const sev = parseSeverity(v.Severity);
  if (sev) r.severity = sev;
  const vs = v.VendorSeverity as Record<string, number> | undefined;
  if (vs)
    r.vendorSeverity = Object.fromEntries(
      Object.entries(vs).map(([k, n]) => [k, parseSeverity(n) ?? 'UNKNOWN']),
    ) as Record<string, SeverityLevel>;
  const cvss = v.CVSS as
    | Record<string, { V3Vector?: string; V3Score?: number; V2Vector?: string; V2Score?: number }>
    | undefined;
  if (cvss) {
    r.cvss = {};
    for (const [k, c] of Object.entries(cvss)) {
      r.cvss[k] = {
        ...(c.V3Vector ? { v3Vector: c.V3Vector } : {}),
        ...(c.V3Score !== undefined ? { v3Score: c.V3Score } : {}),
        ...(c.V2Vector ? { v2Vector: c.V2Vector } : {}),
        ...(c.V2Score !== undefined ? { v2Score: c.V2Score } : {}),
      };
    }
  }
  if (Array.isArray(v.References)) r.references = v.References as string[];
  if (typeof v.PublishedDate === 'string') r.published = v.PublishedDate;
  if (typeof v.LastModifiedDate === 'string') r.modified = v.LastModifiedDate;
  return r;
}
