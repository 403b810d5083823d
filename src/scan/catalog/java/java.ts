/**
 * Java archives (`.jar`, `.war`, `.ear`): Maven coordinates from `pom.properties`, else the
 * manifest's title and version, else the file name; nested archives one level deep.
 * @module
 */
import { warning } from '../../../core/index.ts';
import { basename } from '../../image/paths.ts';
import { catalogEachFile } from '../each-file.ts';
import { purl } from '../purl.ts';
import type { Cataloger, CatalogResult, Package } from '../types.ts';
import { zipEntries, zipRead } from './zip.ts';

const ARCHIVE = /\.(jar|war|ear|par|sar|jpi|hpi|kar)$/i;

function props(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^#!=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

// Manifest lines wrap at 72 bytes with a leading space on continuations.
function manifest(text: string): Record<string, string> {
  return props(text.replace(/\r?\n /g, '').split(/\r?\n\r?\n/)[0] ?? '');
}

function mavenPackage(
  group: string,
  artifact: string,
  version: string,
  file: string,
  layer?: number,
): Package {
  const p: Package = {
    name: `${group}:${artifact}`,
    version,
    type: 'maven',
    purl: purl('maven', group, artifact, version),
    foundIn: file,
  };
  if (layer !== undefined) p.layer = layer;
  return p;
}

/** Packages in one archive (and archives nested in it, to `depth`). */
export function parseJavaArchive(
  buf: Buffer,
  file: string,
  layer?: number,
  depth = 1,
): CatalogResult {
  const out: CatalogResult = { packages: [], diagnostics: [] };
  const entries = zipEntries(buf);
  if (!entries) {
    out.diagnostics.push(warning('SCAN_JAVA_ARCHIVE', 'not a readable ZIP archive', { file }));
    return out;
  }
  for (const e of entries.filter((x) =>
    /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.test(x.name),
  )) {
    const text = zipRead(buf, e)?.toString('utf8');
    const p = text ? props(text) : {};
    if (p.groupId && p.artifactId && p.version)
      out.packages.push(mavenPackage(p.groupId, p.artifactId, p.version, file, layer));
  }
  if (out.packages.length === 0) {
    const mf = entries.find((x) => x.name === 'META-INF/MANIFEST.MF');
    const m = mf ? manifest(zipRead(buf, mf)?.toString('utf8') ?? '') : {};
    const fromName = /^(.+?)-(\d[\w.+-]*)\.[a-z]+$/i.exec(basename(file));
    const artifact =
      fromName?.[1] ?? m['Implementation-Title'] ?? m['Bundle-SymbolicName']?.split(';')[0];
    const version = m['Implementation-Version'] ?? m['Bundle-Version'] ?? fromName?.[2];
    const group =
      m['Implementation-Vendor-Id'] ??
      m['Bundle-SymbolicName']?.split(';')[0]?.replace(/\.[^.]+$/, '') ??
      artifact;
    if (artifact && version && group)
      out.packages.push(mavenPackage(group, artifact, version, file, layer));
  }
  if (depth > 0) {
    for (const e of entries.filter((x) => ARCHIVE.test(x.name))) {
      const inner = zipRead(buf, e);
      if (!inner) continue;
      const r = parseJavaArchive(inner, `${file}!/${e.name}`, layer, depth - 1);
      out.packages.push(...r.packages);
      out.diagnostics.push(...r.diagnostics);
    }
  }
  return out;
}

/** The Java archive cataloger. */
export const javaCataloger: Cataloger = {
  id: 'java',
  version: 1,
  wants: (p) => ARCHIVE.test(p),
  catalog({ files }) {
    return catalogEachFile(files, (f) => parseJavaArchive(f.data!, f.path, f.layer));
  },
};
