/**
 * Matching an inventory against the vulnerability database: OS packages by distro release and
 * source package, language packages by ecosystem; severity from the feed, the vendor or CVSS.
 * @module
 */
import type { Inventory, Package } from '../catalog/index.ts';
import {
  normalizePackageName,
  osEcosystem,
  severityFromScore,
  type Advisory,
  type SeverityLevel,
  type VulnDb,
  type VulnRecord,
} from '../vulndb/index.ts';
import { isAffected, SCHEME_OF } from './ranges.ts';

/** One vulnerability in one package. */
export interface Finding {
  vulnId: string;
  pkg: Package;
  installed: string;
  fixed?: string;
  /** `fixed` (a fix exists), `affected` (no fix yet), `will_not_fix`, … */
  status: string;
  severity: SeverityLevel;
  severitySource?: string;
  dataSource: string;
  title?: string;
  description?: string;
  references?: string[];
  aliases?: string[];
  cvssScore?: number;
}

const LANG_ECOSYSTEM: Record<string, string> = {
  npm: 'npm',
  pypi: 'pypi',
  golang: 'go',
  maven: 'maven',
};
const OS_TYPES = new Set(['apk', 'deb', 'rpm']);

/** The ecosystem key and the name/version a package is matched by. */
export function matchKey(
  pkg: Package,
  inv: Pick<Inventory, 'os'>,
): { ecosystem: string; name: string; version: string } | undefined {
  if (OS_TYPES.has(pkg.type)) {
    if (!inv.os) return undefined;
    // Debian-family feeds are keyed by source package and version; Alpine's by origin.
    const name = pkg.srcName ?? pkg.name;
    const version = pkg.type === 'deb' ? (pkg.srcVersion ?? pkg.version) : pkg.version;
    return { ecosystem: osEcosystem(inv.os.family, inv.os.version), name, version };
  }
  const eco = LANG_ECOSYSTEM[pkg.type];
  return eco
    ? { ecosystem: eco, name: normalizePackageName(eco, pkg.name), version: pkg.version }
    : undefined;
}

/** Picks the severity: the advisory's own, then the data source's vendor rating, then NVD, then the record's, then CVSS. */
export function chooseSeverity(
  a: Advisory,
  v: VulnRecord | undefined,
): { severity: SeverityLevel; source?: string } {
  if (a.severity && a.severity !== 'UNKNOWN') return { severity: a.severity, source: a.source };
  const vs = v?.vendorSeverity ?? {};
  if (vs[a.source]) return { severity: vs[a.source]!, source: a.source };
  if (vs.nvd) return { severity: vs.nvd, source: 'nvd' };
  if (v?.severity) return { severity: v.severity };
  const score = Object.values(v?.cvss ?? {}).find((c) => c.v3Score !== undefined)?.v3Score;
  return { severity: severityFromScore(score) };
}

/** Matches every package of an inventory; one finding per package copy and vulnerability id. */
export function matchInventory(inv: Inventory, db: VulnDb): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const pkg of inv.packages) {
    const key = matchKey(pkg, inv);
    const scheme = SCHEME_OF[pkg.type];
    if (!key || !scheme) continue;
    for (const a of db.advisories(key.ecosystem, key.name)) {
      if (!isAffected(scheme, key.version, a)) continue;
      const id = `${pkg.foundIn}|${pkg.name}|${pkg.version}|${a.vulnId}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const v = db.vuln(a.vulnId);
      const sev = chooseSeverity(a, v);
      const f: Finding = {
        vulnId: a.vulnId,
        pkg,
        installed: pkg.version,
        status: a.fixed ? 'fixed' : a.status === 'fixed' ? 'affected' : a.status,
        severity: sev.severity,
        dataSource: a.source,
      };
      if (a.fixed) f.fixed = a.fixed;
      if (sev.source) f.severitySource = sev.source;
      if (v?.title) f.title = v.title;
      if (v?.description) f.description = v.description;
      if (v?.references) f.references = v.references;
      if (v?.aliases) f.aliases = v.aliases;
      const score = Object.values(v?.cvss ?? {}).find((c) => c.v3Score !== undefined)?.v3Score;
      if (score !== undefined) f.cvssScore = score;
      out.push(f);
    }
  }
  return out.sort((x, y) => (x.pkg.name + x.vulnId < y.pkg.name + y.vulnId ? -1 : 1));
}
