/**
 * Debian's dpkg database: `var/lib/dpkg/status` and distroless `var/lib/dpkg/status.d/*`.
 * @module
 */
import { warning, type Diagnostic } from '../../../core/index.ts';
import { catalogEachFile } from '../each-file.ts';
import { purl } from '../purl.ts';
import type { Cataloger, CatalogResult, OsInfo, Package } from '../types.ts';

/** One control stanza: field name (lower-case) to value, with its first line. */
export interface Stanza {
  fields: Record<string, string>;
  line: number;
}

/** Splits a deb822 control file into stanzas, joining continuation lines. */
export function parseControl(text: string): Stanza[] {
  const out: Stanza[] = [];
  let cur: Stanza | undefined;
  let last = '';
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') {
      if (cur) out.push(cur);
      cur = undefined;
      return;
    }
    if (/^[ \t]/.test(line)) {
      if (cur && last) cur.fields[last] += '\n' + line.trim();
      return;
    }
    const c = line.indexOf(':');
    if (c <= 0) return;
    cur ??= { fields: {}, line: i + 1 };
    last = line.slice(0, c).toLowerCase();
    cur.fields[last] = line.slice(c + 1).trim();
  });
  if (cur) out.push(cur);
  return out;
}

function distroQualifier(os?: OsInfo): string | undefined {
  return os ? `${os.family}-${os.version}` : undefined;
}

/** Turns dpkg stanzas into installed packages (stanzas without Status count as installed). */
export function parseDpkgStatus(
  text: string,
  file: string,
  os?: OsInfo,
  layer?: number,
): CatalogResult {
  const packages: Package[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const s of parseControl(text)) {
    const f = s.fields;
    if (f.status !== undefined && !/\binstalled$/.test(f.status)) continue;
    if (!f.package || !f.version) {
      diagnostics.push(
        warning('SCAN_DPKG_STANZA', 'dpkg stanza without Package or Version', {
          file,
          line: s.line,
        }),
      );
      continue;
    }
    const family = os?.family === 'ubuntu' ? 'ubuntu' : 'debian';
    const p: Package = {
      name: f.package,
      version: f.version,
      type: 'deb',
      purl: purl('deb', family, f.package, f.version, {
        arch: f.architecture,
        distro: distroQualifier(os),
      }),
      foundIn: file,
    };
    if (f.architecture) p.arch = f.architecture;
    // "Source: name (version)" when the source version differs from the binary's.
    const src = /^(\S+)(?:\s+\((\S+)\))?/.exec(f.source ?? '');
    p.srcName = src?.[1] ?? f.package;
    p.srcVersion = src?.[2] ?? f.version;
    if (layer !== undefined) p.layer = layer;
    packages.push(p);
  }
  return { packages, diagnostics };
}

/** The dpkg cataloger. */
export const dpkgCataloger: Cataloger = {
  id: 'dpkg',
  version: 1,
  wants: (p) =>
    p === 'var/lib/dpkg/status' ||
    (p.startsWith('var/lib/dpkg/status.d/') && !p.endsWith('.md5sums')),
  catalog({ files, os }) {
    return catalogEachFile(files, (f) =>
      parseDpkgStatus(f.data!.toString('utf8'), f.path, os, f.layer),
    );
  },
};
