/**
 * catalog: the explicit, sorted index of catalogers, and the inventory of a merged view.
 * @module
 */
import type { Diagnostic } from '../../core/index.ts';
import type { FileView, WantFile } from '../image/index.ts';
import { apkCataloger } from './apk/apk.ts';
import { dpkgCataloger } from './dpkg/dpkg.ts';
import { javaCataloger } from './java/java.ts';
import { npmCataloger } from './npm/npm.ts';
import { detectOs, OS_FILES } from './os/os.ts';
import { pythonCataloger } from './python/python.ts';
import { rpmCataloger } from './rpm/rpm.ts';
import type { Cataloger, OsInfo, Package } from './types.ts';

export * from './types.ts';
export { detectOs, parseOsRelease } from './os/os.ts';
export { parseApkInstalled } from './apk/apk.ts';
export { parseDpkgStatus, parseControl } from './dpkg/dpkg.ts';
export { packagesFromHeaders, rpmdbBlobs } from './rpm/rpm.ts';
export { parsePackageLock } from './npm/npm.ts';
export { parseJavaArchive } from './java/java.ts';
export { parseRequirements, parsePipfileLock, parseTomlLock } from './python/locks.ts';
export { parsePythonMetadata } from './python/metadata.ts';

/** Every cataloger, sorted by id. */
export const catalogers: readonly Cataloger[] = [
  apkCataloger,
  dpkgCataloger,
  javaCataloger,
  npmCataloger,
  pythonCataloger,
  rpmCataloger,
];

/** The union of what OS detection and the catalogers read. */
export const wantForCatalogers: WantFile = (path) =>
  OS_FILES.includes(path) || catalogers.some((c) => c.wants(path));

/** An image's inventory. */
export interface Inventory {
  os?: OsInfo;
  packages: Package[];
  diagnostics: Diagnostic[];
}

/** Runs every cataloger over a merged view. */
export function catalogView(view: FileView): Inventory {
  const os = detectOs(view);
  const files = view.filesWithData();
  const inv: Inventory = { packages: [], diagnostics: [] };
  if (os) inv.os = os;
  for (const c of catalogers) {
    const mine = files.filter((f) => c.wants(f.path));
    if (mine.length === 0) continue;
    const r = c.catalog(os ? { files: mine, view, os } : { files: mine, view });
    inv.packages.push(...r.packages);
    inv.diagnostics.push(...r.diagnostics);
  }
  return inv;
}
