/**
 * catalog: the explicit, sorted index of catalogers, and the inventory of a merged view.
 * @module
 */
import type { Diagnostic } from '../../core/index.ts';
import type { FileView, WantFile } from '../image/index.ts';
import { apkCataloger } from './apk/apk.ts';
import { dpkgCataloger } from './dpkg/dpkg.ts';
import { golangCataloger } from './golang/golang.ts';
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
export { goPackages, parseGoBinary, golangCataloger } from './golang/golang.ts';
export type { GoBuildInfo, GoModule } from './golang/buildinfo.ts';
export { GoBuildInfoCapture } from './golang/capture.ts';
export { parseRequirements, parsePipfileLock, parseTomlLock } from './python/locks.ts';
export { parsePythonMetadata } from './python/metadata.ts';

/** Every cataloger, sorted by id. */
export const catalogers: readonly Cataloger[] = [
  apkCataloger,
  dpkgCataloger,
  golangCataloger,
  javaCataloger,
  npmCataloger,
  pythonCataloger,
  rpmCataloger,
];

// Catalogers that take extracts of files they cannot name by path (executables).
const reducing = catalogers.filter((c) => c.reducer);

/** The union of what OS detection and the catalogers read. */
export const wantForCatalogers: WantFile = (path, size, mode) => {
  if (OS_FILES.includes(path) || catalogers.some((c) => c.wants(path))) return true;
  for (const c of reducing) {
    const r = c.reducer!(path, size, mode);
    if (r) return r;
  }
  return false;
};

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
    const mine = files.filter((f) => (f.reducedBy ? f.reducedBy === c.id : c.wants(f.path)));
    if (mine.length === 0) continue;
    const r = c.catalog(os ? { files: mine, view, os } : { files: mine, view });
    inv.packages.push(...r.packages);
    inv.diagnostics.push(...r.diagnostics);
  }
  return inv;
}
