/**
 * CycloneDX 1.5 JSON built with @cyclonedx/cyclonedx-library: components with purls, plus
 * vulnerabilities affecting them.
 * @module
 */
import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import { randomUUID } from 'node:crypto';
import { PackageURL } from 'packageurl-js';
import type { ScanResult } from '../scan.ts';
import type { SeverityLevel } from '../vulndb/index.ts';

const SEV: Record<SeverityLevel, Enums.Vulnerability.Severity> = {
  CRITICAL: Enums.Vulnerability.Severity.Critical,
  HIGH: Enums.Vulnerability.Severity.High,
  MEDIUM: Enums.Vulnerability.Severity.Medium,
  LOW: Enums.Vulnerability.Severity.Low,
  UNKNOWN: Enums.Vulnerability.Severity.Unknown,
};

/** The CycloneDX 1.5 JSON document for a scan. */
export function renderCycloneDx(
  r: ScanResult,
  opts: { withVulnerabilities?: boolean } = {},
): string {
  const bom = new Models.Bom();
  bom.serialNumber = `urn:uuid:${randomUUID()}`;
  bom.metadata.component = new Models.Component(
    r.target.format === 'directory'
      ? Enums.ComponentType.Application
      : Enums.ComponentType.Container,
    r.target.repoTags[0] ?? r.target.source,
    {
      bomRef: 'target',
    },
  );
  const refs = new Map<string, Models.Component>();
  r.inventory.packages.forEach((p, i) => {
    const ref = `${p.purl}#${i}`;
    const c = new Models.Component(Enums.ComponentType.Library, p.name, {
      version: p.version,
      bomRef: ref,
    });
    try {
      c.purl = PackageURL.fromString(p.purl).toString();
    } catch {
      // a purl that does not round-trip is left out rather than written wrong
    }
    for (const l of p.licenses ?? []) c.licenses.add(new Models.NamedLicense(l));
    c.properties.add(new Models.Property('vigil:package:path', p.foundIn));
    if (p.srcName) c.properties.add(new Models.Property('vigil:package:srcName', p.srcName));
    bom.components.add(c);
    refs.set(`${p.foundIn}|${p.name}|${p.version}`, c);
  });
  if (opts.withVulnerabilities !== false) {
    for (const f of r.findings) {
      const v = new Models.Vulnerability.Vulnerability({
        id: f.vulnId,
        bomRef: `${f.vulnId}#${f.pkg.purl}`,
      });
      if (f.description ?? f.title) v.description = f.description ?? f.title;
      v.ratings.add(
        new Models.Vulnerability.Rating({
          severity: SEV[f.severity],
          ...(f.cvssScore !== undefined ? { score: f.cvssScore } : {}),
        }),
      );
      const c = refs.get(`${f.pkg.foundIn}|${f.pkg.name}|${f.pkg.version}`);
      if (c) v.affects.add(new Models.Vulnerability.Affect(c.bomRef));
      if (f.fixed) v.recommendation = `Upgrade ${f.pkg.name} to ${f.fixed}`;
      bom.vulnerabilities.add(v);
    }
  }
  const serializer = new Serialize.JsonSerializer(
    new Serialize.JSON.Normalize.Factory(Spec.Spec1dot5),
  );
  return serializer.serialize(bom, { sortLists: true, space: 2 }) + '\n';
}
