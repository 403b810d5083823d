/**
 * The vulnerability database's records, independent of the feed they came from.
 * @module
 */

/** Severity levels, lowest first. */
export const SEVERITIES = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

/** A severity level. */
export type SeverityLevel = (typeof SEVERITIES)[number];

/** OSV-style range events, in the ecosystem's version scheme. */
export interface RangeEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

/** Which versions of a package an advisory affects. */
export interface Affected {
  /** OSV ranges (ECOSYSTEM/SEMVER): a version is affected inside any range. */
  ranges?: RangeEvent[][];
  /** Explicitly listed affected versions. */
  versions?: string[];
  /** Ecosystem range expressions (`< 1.2.3`, `>=2.0, <2.1`), any of which affects. */
  vulnerable?: string[];
  /** Ecosystem range expressions that are patched (used when `vulnerable` is absent). */
  patched?: string[];
}

/** One package-level advisory: this vulnerability affects this package in this ecosystem. */
export interface Advisory {
  /** Data source id (`alpine`, `debian`, `osv`, `ghsa`, `npm-legacy`, `trivy-fixture`). */
  source: string;
  /** `alpine:3.10`, `debian:11`, `ubuntu:18.04`, `npm`, `pypi`, `go`, `maven`, … */
  ecosystem: string;
  package: string;
  vulnId: string;
  /** First fixed version, when there is exactly one; empty for unfixed. */
  fixed?: string;
  affected?: Affected;
  /** `fixed`, `affected`, `not_affected`, `will_not_fix`, `fix_deferred`, `end_of_life`, `under_investigation`. */
  status: string;
  /** Severity the source gives for this package (vendor severity). */
  severity?: SeverityLevel;
}

/** Vulnerability details shared by every advisory with this id. */
export interface VulnRecord {
  id: string;
  aliases?: string[];
  title?: string;
  description?: string;
  severity?: SeverityLevel;
  /** Vendor severities by source (`nvd`, `redhat`, `alpine`, `ghsa`, …). */
  vendorSeverity?: Record<string, SeverityLevel>;
  cvss?: Record<
    string,
    { v3Vector?: string; v3Score?: number; v2Vector?: string; v2Score?: number }
  >;
  references?: string[];
  published?: string;
  modified?: string;
  withdrawn?: string;
}

/** A data source as shown by `vigil db status`. */
export interface DataSource {
  id: string;
  name: string;
  url?: string;
}

/** What an importer produces. */
export interface ImportBatch {
  source: DataSource;
  advisories: Advisory[];
  vulns: VulnRecord[];
}

/** Severity from a CVSS base score (CVSS v3 qualitative ratings). */
export function severityFromScore(score: number | undefined): SeverityLevel {
  if (score === undefined || Number.isNaN(score)) return 'UNKNOWN';
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  if (score > 0) return 'LOW';
  return 'UNKNOWN';
}

/** Parses a severity word (any case; `moderate` = MEDIUM, `important` = HIGH). */
export function parseSeverity(s: unknown): SeverityLevel | undefined {
  if (typeof s === 'number') return SEVERITIES[Math.round(s)] ?? undefined;
  if (typeof s !== 'string') return undefined;
  const u = s.toUpperCase().replace(/\*+$/, '');
  if (u === 'MODERATE') return 'MEDIUM';
  if (u === 'IMPORTANT') return 'HIGH';
  if (u === 'NEGLIGIBLE' || u === 'UNIMPORTANT') return 'LOW';
  return (SEVERITIES as readonly string[]).includes(u) ? (u as SeverityLevel) : undefined;
}
