/**
 * SPDX 2.3 JSON: one package per inventory entry with its purl as an external reference.
 * @module
 */
import { createHash } from 'node:crypto';
import type { ScanResult } from '../scan.ts';

function spdxId(s: string, i: number): string {
  return `SPDXRef-Package-${s.replace(/[^A-Za-z0-9.-]/g, '-')}-${i}`;
}

/** The SPDX 2.3 JSON document for a scan's inventory. */
export function renderSpdx(r: ScanResult, now = new Date()): string {
  const name = r.target.repoTags[0] ?? r.target.source;
  const ns = createHash('sha256')
    .update(`${name}|${r.target.imageId ?? ''}|${now.toISOString()}`)
    .digest('hex');
  const packages = r.inventory.packages.map((p, i) => ({
    SPDXID: spdxId(p.name, i),
    name: p.name,
    versionInfo: p.version,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared:
      p.licenses?.length === 1 &&
      /^[A-Za-z0-9.+-]+( (AND|OR) [A-Za-z0-9.+-]+)*$/.test(p.licenses[0]!)
        ? p.licenses[0]
        : 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    ...(p.srcName && p.srcName !== p.name
      ? { sourceInfo: `built from source package ${p.srcName} ${p.srcVersion ?? ''}`.trim() }
      : {}),
    externalRefs: [
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: p.purl },
    ],
  }));
  const doc = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name,
    documentNamespace: `https://vigil.dev/spdx/${encodeURIComponent(name)}-${ns.slice(0, 16)}`,
    creationInfo: {
      created: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      creators: ['Tool: vigil-0.1.0'],
    },
    packages,
    relationships: packages.map((p) => ({
      spdxElementId: 'SPDXRef-DOCUMENT',
      relationshipType: 'DESCRIBES',
      relatedSpdxElement: p.SPDXID,
    })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
