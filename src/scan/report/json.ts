/**
 * Vigil's JSON report: target, OS, packages, findings, suppressions.
 * @module
 */
import type { Suppressed } from '../policy/index.ts';
import type { ScanResult } from '../scan.ts';

/** The JSON document for a scan. */
export function renderJson(r: ScanResult, suppressed: Suppressed[] = []): string {
  const doc = {
    schemaVersion: 1,
    target: {
      source: r.target.source,
      format: r.target.format,
      imageId: r.target.imageId,
      repoTags: r.target.repoTags,
      layers: r.target.layers,
    },
    os: r.inventory.os ?? null,
    packages: r.inventory.packages,
    vulnerabilities: r.findings.map((f) => ({
      id: f.vulnId,
      package: f.pkg.name,
      purl: f.pkg.purl,
      installedVersion: f.installed,
      fixedVersion: f.fixed ?? null,
      status: f.status,
      severity: f.severity,
      severitySource: f.severitySource ?? null,
      dataSource: f.dataSource,
      title: f.title ?? null,
      layer: f.pkg.layer !== undefined ? (r.target.layers[f.pkg.layer] ?? null) : null,
      path: f.pkg.foundIn,
      aliases: f.aliases ?? [],
      references: f.references ?? [],
    })),
    suppressed: suppressed.map((s) => ({
      id: s.finding.vulnId,
      package: s.finding.pkg.name,
      by: s.by,
      reason: s.reason,
    })),
    diagnostics: r.diagnostics,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
