/**
 * SARIF 2.1.0: one rule per vulnerability id, one result per finding, located at the file the
 * package was found in (code scanning tools show them on that file).
 * @module
 */
import type { ScanResult } from '../scan.ts';
import type { SeverityLevel } from '../vulndb/index.ts';

const LEVEL: Record<SeverityLevel, string> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  UNKNOWN: 'none',
};
const SCORE: Record<SeverityLevel, string> = {
  CRITICAL: '9.5',
  HIGH: '8.0',
  MEDIUM: '5.5',
  LOW: '2.0',
  UNKNOWN: '0.0',
};

/** The SARIF log for a scan. */
export function renderSarif(r: ScanResult, toolVersion = '0.1.0'): string {
  const ruleIds = [...new Set(r.findings.map((f) => f.vulnId))];
  const rules = ruleIds.map((id) => {
    const f = r.findings.find((x) => x.vulnId === id)!;
    return {
      id,
      name: 'OsPackageVulnerability',
      shortDescription: { text: f.title ?? id },
      fullDescription: { text: f.description ?? f.title ?? id },
      helpUri: f.references?.[0] ?? `https://osv.dev/vulnerability/${id}`,
      help: {
        text: `Vulnerability ${id}\nSeverity: ${f.severity}\nPackage: ${f.pkg.name}\nFixed Version: ${f.fixed ?? ''}`,
      },
      properties: {
        tags: ['vulnerability', 'security', f.severity],
        precision: 'very-high',
        'security-severity': f.cvssScore !== undefined ? String(f.cvssScore) : SCORE[f.severity],
      },
    };
  });
  const results = r.findings.map((f) => ({
    ruleId: f.vulnId,
    ruleIndex: ruleIds.indexOf(f.vulnId),
    level: LEVEL[f.severity],
    message: {
      text: `Package: ${f.pkg.name}\nInstalled Version: ${f.installed}\nVulnerability ${f.vulnId}\nSeverity: ${f.severity}\nFixed Version: ${f.fixed ?? ''}`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: f.pkg.foundIn, uriBaseId: 'ROOTPATH' },
          region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
        },
      },
    ],
  }));
  const log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'Vigil',
            informationUri: 'https://github.com/vigil',
            fullName: 'Vigil image scanner',
            version: toolVersion,
            rules,
          },
        },
        results,
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { ROOTPATH: { uri: 'file:///' } },
        properties: {
          imageName: r.target.source,
          repoTags: r.target.repoTags,
          imageId: r.target.imageId,
        },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
