/**
 * Types shared by catalogers: packages, OS identity, and the cataloger definition object.
 * @module
 */
import type { Diagnostic } from '../../core/index.ts';
import type { FileRecord, FileReducer, FileView } from '../image/index.ts';

/** Package ecosystems Vigil inventories. */
export type PackageType = 'apk' | 'deb' | 'rpm' | 'npm' | 'pypi' | 'golang' | 'maven';

/** One installed or locked package. */
export interface Package {
  name: string;
  version: string;
  type: PackageType;
  /** Package URL (purl-spec). */
  purl: string;
  /** File the package was found in. */
  foundIn: string;
  /** Index of the layer that introduced that file. */
  layer?: number;
  /** Source package name and version for OS packages built from a source package. */
  srcName?: string;
  srcVersion?: string;
  arch?: string;
  licenses?: string[];
  /** Development-only dependency (lockfiles that say so). */
  dev?: boolean;
}

/** The operating system of an image. */
export interface OsInfo {
  /** Family id as in os-release `ID` (alpine, debian, ubuntu, rhel, centos, …). */
  family: string;
  /** Version (`3.10.4`, `12`, `18.04`). */
  version: string;
  prettyName?: string;
  codename?: string;
}

/** Input to a cataloger: its wanted files from the merged view. */
export interface CatalogInput {
  files: FileRecord[];
  view: FileView;
  os?: OsInfo;
}

/** A cataloger's result. */
export interface CatalogResult {
  packages: Package[];
  diagnostics: Diagnostic[];
}

/** A cataloger definition: which paths it reads and how it turns them into packages. */
export interface Cataloger {
  id: string;
  version: number;
  /** True for paths whose content this cataloger needs. */
  wants(path: string): boolean;
  /** For files too many or too large to keep (executables): a reducer that keeps an extract. */
  reducer?(path: string, size: number, mode: number): FileReducer | undefined;
  catalog(input: CatalogInput): CatalogResult;
}
