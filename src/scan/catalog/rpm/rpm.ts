/**
 * The rpm cataloger: rpmdb.sqlite, Berkeley DB `Packages` and NDB `Packages.db`.
 * @module
 */
import { VigilError, warning } from '../../../core/index.ts';
import { bdbValues, isBdbHash } from './bdb.ts';
import { isNdb, ndbBlobs } from './ndb.ts';
import { purl } from '../purl.ts';
import type { Cataloger, CatalogResult, OsInfo, Package } from '../types.ts';
import { parseRpmHeader, RpmTag } from './header.ts';
import { sqliteBlobs } from './sqlite.ts';

const SQLITE = ['var/lib/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/rpmdb.sqlite'];
const LEGACY = [
  'var/lib/rpm/Packages',
  'var/lib/rpm/Packages.db',
  'usr/lib/sysimage/rpm/Packages.db',
];

/** Source package name and version-release from a SOURCERPM like `bash-5.1-2.el9.src.rpm`. */
export function splitSourceRpm(s: string): { name: string; version: string } | undefined {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(s);
  return m ? { name: m[1]!, version: `${m[2]}-${m[3]}` } : undefined;
}

/** Turns header blobs into packages. */
export function packagesFromHeaders(
  blobs: Buffer[],
  file: string,
  os?: OsInfo,
  layer?: number,
): CatalogResult {
  const out: CatalogResult = { packages: [], diagnostics: [] };
  for (const b of blobs) {
    const h = parseRpmHeader(b);
    const name = h?.get(RpmTag.name);
    if (!h || typeof name !== 'string') {
      out.diagnostics.push(warning('SCAN_RPM_HEADER', 'unreadable rpm header', { file }));
      continue;
    }
    if (name === 'gpg-pubkey') continue;
    const epoch = h.get(RpmTag.epoch);
    const vr = `${h.get(RpmTag.version)}-${h.get(RpmTag.release)}`;
    const version = typeof epoch === 'number' && epoch > 0 ? `${epoch}:${vr}` : vr;
    const arch = h.get(RpmTag.arch) as string | undefined;
    const p: Package = {
      name,
      version,
      type: 'rpm',
      purl: purl('rpm', os?.family, name, vr, {
        arch,
        epoch: typeof epoch === 'number' ? String(epoch) : undefined,
        distro: os ? `${os.family}-${os.version}` : undefined,
      }),
      foundIn: file,
    };
    if (arch) p.arch = arch;
    const lic = h.get(RpmTag.license);
    if (typeof lic === 'string') p.licenses = [lic];
    const src = splitSourceRpm(String(h.get(RpmTag.sourceRpm) ?? ''));
    if (src) {
      p.srcName = src.name;
      p.srcVersion = src.version;
    }
    if (layer !== undefined) p.layer = layer;
    out.packages.push(p);
  }
  return out;
}

/** Reads the header blobs of an rpmdb in any backend: SQLite, Berkeley DB hash or NDB. */
export function rpmdbBlobs(data: Buffer, file = 'rpmdb'): Buffer[] {
  if (data.subarray(0, 16).toString('latin1').startsWith('SQLite format 3'))
    return sqliteBlobs(data);
  if (isNdb(data)) return ndbBlobs(data, file);
  if (isBdbHash(data)) return bdbValues(data, file);
  throw new VigilError('SCAN_RPMDB_FORMAT', 'unknown rpm database format', { file });
}

/** The rpm cataloger. */
export const rpmCataloger: Cataloger = {
  id: 'rpm',
  version: 1,
  wants: (p) => SQLITE.includes(p) || LEGACY.includes(p),
  catalog({ files, os }) {
    const out: CatalogResult = { packages: [], diagnostics: [] };
    for (const f of files) {
      let blobs: Buffer[];
      try {
        blobs = rpmdbBlobs(f.data!, f.path);
      } catch (e) {
        if (!(e instanceof VigilError)) throw e;
        out.diagnostics.push(e.diagnostic);
        continue;
      }
      const r = packagesFromHeaders(blobs, f.path, os, f.layer);
      out.packages.push(...r.packages);
      out.diagnostics.push(...r.diagnostics);
    }
    return out;
  },
};
