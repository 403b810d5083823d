/**
 * OSV records of any ecosystem (osv.dev schema), and the npm security-wg legacy advisories.
 * @module
 */
import { fromOsvEcosystem, normalizePackageName } from './ecosystems.ts';
import {
  parseSeverity,
  severityFromScore,
  type Advisory,
  type ImportBatch,
  type RangeEvent,
  type VulnRecord,
} from './types.ts';
import { cvssBaseScore } from './cvss.ts';

interface OsvRecord {
  id: string;
  aliases?: string[];
  summary?: string;
  details?: string;
  published?: string;
  modified?: string;
  withdrawn?: string;
  severity?: { type: string; score: string }[];
  references?: { url: string }[];
  database_specific?: { severity?: string };
  affected?: {
    package?: { ecosystem?: string; name?: string };
    ranges?: { type: string; events: RangeEvent[] }[];
    versions?: string[];
    ecosystem_specific?: { severity?: string; urgency?: string };
    database_specific?: { severity?: string };
  }[];
}

/** True when a parsed document looks like an OSV record. */
export function isOsv(doc: unknown): doc is OsvRecord {
  return (
    typeof doc === 'object' &&
    doc !== null &&
    typeof (doc as OsvRecord).id === 'string' &&
    ('affected' in doc || 'modified' in doc)
  );
}

/** Converts one OSV record (GIT ranges are skipped: they name commits, not versions). */
export function importOsv(doc: OsvRecord): ImportBatch {
  const advisories: Advisory[] = [];
  for (const a of doc.affected ?? []) {
    const eco = a.package?.ecosystem ? fromOsvEcosystem(a.package.ecosystem) : undefined;
    if (!eco || !a.package?.name) continue;
    const ranges = (a.ranges ?? []).filter((r) => r.type !== 'GIT').map((r) => r.events);
    const fixes = ranges
      .flat()
      .filter((e) => e.fixed)
      .map((e) => e.fixed!);
    const adv: Advisory = {
      source: 'osv',
      ecosystem: eco,
      package: normalizePackageName(eco, a.package.name),
      vulnId: doc.id,
      status: doc.withdrawn ? 'withdrawn' : fixes.length ? 'fixed' : 'affected',
      affected: { ranges, ...(a.versions?.length ? { versions: a.versions } : {}) },
    };
    if (fixes.length === 1) adv.fixed = fixes[0]!;
    else if (fixes.length > 1) adv.fixed = [...new Set(fixes)].join(', ');
    const sev = parseSeverity(
      a.ecosystem_specific?.severity ??
        a.ecosystem_specific?.urgency ??
        a.database_specific?.severity,
    );
    if (sev) adv.severity = sev;
    advisories.push(adv);
  }
  const vuln: VulnRecord = { id: doc.id };
  if (doc.aliases?.length) vuln.aliases = doc.aliases;
  if (doc.summary) vuln.title = doc.summary;
  if (doc.details) vuln.description = doc.details;
  if (doc.published) vuln.published = doc.published;
  if (doc.modified) vuln.modified = doc.modified;
  if (doc.withdrawn) vuln.withdrawn = doc.withdrawn;
  if (doc.references?.length) vuln.references = doc.references.map((r) => r.url);
  const v3 = doc.severity?.find((s) => s.type === 'CVSS_V3');
  const score = v3 ? cvssBaseScore(v3.score) : undefined;
  if (v3)
    vuln.cvss = { osv: { v3Vector: v3.score, ...(score !== undefined ? { v3Score: score } : {}) } };
  const sev =
    parseSeverity(doc.database_specific?.severity) ??
    (score !== undefined ? severityFromScore(score) : undefined);
  if (sev) vuln.severity = sev;
  return { source: { id: 'osv', name: 'OSV', url: 'https://osv.dev/' }, advisories, vulns: [vuln] };
}

interface NpmLegacy {
  id: number;
  module_name: string;
  title?: string;
  overview?: string;
  cves?: string[];
  vulnerable_versions?: string;
  patched_versions?: string;
  cvss_vector?: string;
  cvss_score?: number;
  references?: string[];
  created_at?: string;
  updated_at?: string;
}

/** True when a parsed document is a nodejs/security-wg npm advisory. */
export function isNpmLegacy(doc: unknown): doc is NpmLegacy {
  return (
    typeof doc === 'object' && doc !== null && 'module_name' in doc && 'vulnerable_versions' in doc
  );
}

/** Converts a legacy npm advisory; its id is the first CVE, else `NSWG-ECO-<id>`. */
export function importNpmLegacy(doc: NpmLegacy): ImportBatch {
  const id = doc.cves?.[0] ?? `NSWG-ECO-${doc.id}`;
  const patched =
    doc.patched_versions && doc.patched_versions !== '<0.0.0' ? doc.patched_versions : undefined;
  const adv: Advisory = {
    source: 'npm-legacy',
    ecosystem: 'npm',
    package: doc.module_name,
    vulnId: id,
    status: patched ? 'fixed' : 'affected',
    affected: {
      vulnerable: [doc.vulnerable_versions ?? '*'],
      ...(patched ? { patched: [patched] } : {}),
    },
  };
  if (patched) adv.fixed = patched;
  const vuln: VulnRecord = { id };
  if (doc.title) vuln.title = doc.title;
  if (doc.overview) vuln.description = doc.overview;
  if (doc.references) vuln.references = doc.references;
  if (doc.created_at) vuln.published = doc.created_at;
  if (doc.cvss_score !== undefined) {
    vuln.severity = severityFromScore(doc.cvss_score);
    vuln.cvss = {
      'npm-legacy': {
        v3Score: doc.cvss_score,
        ...(doc.cvss_vector ? { v3Vector: doc.cvss_vector } : {}),
      },
    };
  }
  if (doc.cves && doc.cves.length > 1) vuln.aliases = doc.cves.slice(1);
  return {
    source: {
      id: 'npm-legacy',
      name: 'Node.js security WG advisories',
      url: 'https://github.com/nodejs/security-wg',
    },
    advisories: [adv],
    vulns: [vuln],
  };
}
