/**
 * Alpine's installed database (`lib/apk/db/installed`): one stanza per package, `X:value` lines.
 * @module
 */
import { warning, type Diagnostic } from '../../../core/index.ts';
import { catalogEachFile } from '../each-file.ts';
import { purl } from '../purl.ts';
import type { Cataloger, CatalogResult, OsInfo, Package } from '../types.ts';

const DB = 'lib/apk/db/installed';

/** Parses an apk installed database. */
export function parseApkInstalled(
  text: string,
  file: string,
  os?: OsInfo,
  layer?: number,
): CatalogResult {
  const packages: Package[] = [];
  const diagnostics: Diagnostic[] = [];
  let cur: Record<string, string> = {};
  let startLine = 1;
  const lines = text.split('\n');
  const flush = (lineNo: number): void => {
    if (Object.keys(cur).length === 0) return;
    if (!cur.P || !cur.V) {
      diagnostics.push(
        warning('SCAN_APK_STANZA', 'apk stanza without P: or V:', { file, line: startLine }),
      );
    } else {
      const p: Package = {
        name: cur.P,
        version: cur.V,
        type: 'apk',
        purl: purl('apk', 'alpine', cur.P, cur.V, {
          arch: cur.A,
          distro: os ? `alpine-${os.version}` : undefined,
        }),
        foundIn: file,
      };
      if (cur.o) {
        p.srcName = cur.o;
        p.srcVersion = cur.V;
      }
      if (cur.A) p.arch = cur.A;
      if (cur.L) p.licenses = [cur.L];
      if (layer !== undefined) p.layer = layer;
      packages.push(p);
    }
    cur = {};
    startLine = lineNo + 1;
  };
  lines.forEach((line, i) => {
    if (line.trim() === '') return flush(i + 1);
    const m = /^([A-Za-z]):(.*)$/.exec(line);
    if (m && !(m[1]! in cur)) cur[m[1]!] = m[2]!;
  });
  flush(lines.length);
  return { packages, diagnostics };
}

/** The apk cataloger. */
export const apkCataloger: Cataloger = {
  id: 'apk',
  version: 1,
  wants: (p) => p === DB,
  catalog({ files, os }) {
    return catalogEachFile(files, (f) =>
      parseApkInstalled(f.data!.toString('utf8'), f.path, os, f.layer),
    );
  },
};
