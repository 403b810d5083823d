/**
 * npm: package-lock.json v1 (nested `dependencies`) and v2/v3 (`packages`), and installed
 * `node_modules/NAME/package.json`.
 * @module
 */
import { error, type Diagnostic } from '../../../core/index.ts';
import { purl } from '../purl.ts';
import type { Cataloger, CatalogResult, Package } from '../types.ts';

interface V1Dep {
  version?: string;
  dev?: boolean;
  dependencies?: Record<string, V1Dep>;
}

interface V2Pkg {
  name?: string;
  version?: string;
  dev?: boolean;
  link?: boolean;
}

function npmPurl(name: string, version: string): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  return slash > 0
    ? purl('npm', name.slice(0, slash), name.slice(slash + 1), version)
    : purl('npm', undefined, name, version);
}

function pkg(
  name: string,
  version: string,
  file: string,
  dev: boolean | undefined,
  layer?: number,
): Package {
  const p: Package = { name, version, type: 'npm', purl: npmPurl(name, version), foundIn: file };
  if (dev) p.dev = true;
  if (layer !== undefined) p.layer = layer;
  return p;
}

/** Parses a package-lock.json (v1–v3); one entry per installed copy, duplicates by name@version merged. */
export function parsePackageLock(text: string, file: string, layer?: number): CatalogResult {
  const diagnostics: Diagnostic[] = [];
  let doc: {
    lockfileVersion?: number;
    packages?: Record<string, V2Pkg>;
    dependencies?: Record<string, V1Dep>;
  };
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return {
      packages: [],
      diagnostics: [
        error('SCAN_LOCKFILE_PARSE', `invalid JSON: ${(e as Error).message}`, { file }),
      ],
    };
  }
  const seen = new Map<string, Package>();
  const add = (name: string, version: string | undefined, dev?: boolean): void => {
    if (!version || /^(file|link|git|https?):/.test(version)) return;
    const key = `${name}@${version}`;
    const had = seen.get(key);
    if (had) {
      if (had.dev && !dev) delete had.dev;
      return;
    }
    seen.set(key, pkg(name, version, file, dev, layer));
  };
  if (doc.packages && (doc.lockfileVersion ?? 2) >= 2) {
    for (const [key, p] of Object.entries(doc.packages)) {
      if (key === '' || p.link) continue;
      const i = key.lastIndexOf('node_modules/');
      // Workspace members (paths without node_modules/) are the project itself, not dependencies.
      if (i < 0) continue;
      add(p.name ?? key.slice(i + 'node_modules/'.length), p.version, p.dev);
    }
  } else if (doc.dependencies) {
    const walk = (deps: Record<string, V1Dep>): void => {
      for (const [name, d] of Object.entries(deps)) {
        add(name, d.version, d.dev);
        if (d.dependencies) walk(d.dependencies);
      }
    };
    walk(doc.dependencies);
  }
  return { packages: [...seen.values()], diagnostics };
}

/** Reads one installed package.json (name and version). */
export function parseInstalledPackageJson(
  text: string,
  file: string,
  layer?: number,
): Package | undefined {
  try {
    const j = JSON.parse(text) as { name?: unknown; version?: unknown };
    if (typeof j.name === 'string' && typeof j.version === 'string')
      return pkg(j.name, j.version, file, false, layer);
  } catch {
    // broken package.json files in node_modules are common and not the image owner's fault
  }
  return undefined;
}

const INSTALLED = /(^|\/)node_modules\/(@[^/]+\/)?[^/@][^/]*\/package\.json$/;

/** The npm cataloger. */
export const npmCataloger: Cataloger = {
  id: 'npm',
  version: 1,
  wants: (p) => p.endsWith('package-lock.json') || INSTALLED.test(p),
  catalog({ files }) {
    const out: CatalogResult = { packages: [], diagnostics: [] };
    const installedRoots = new Set(
      files
        .filter((f) => INSTALLED.test(f.path))
        .map((f) => f.path.slice(0, f.path.indexOf('node_modules/'))),
    );
    for (const f of files) {
      const text = f.data!.toString('utf8');
      if (INSTALLED.test(f.path)) {
        const p = parseInstalledPackageJson(text, f.path, f.layer);
        if (p) out.packages.push(p);
      } else if (
        !f.path.includes('node_modules/') &&
        !installedRoots.has(f.path.slice(0, -'package-lock.json'.length))
      ) {
        // A lockfile next to an installed node_modules would count every package twice.
        const r = parsePackageLock(text, f.path, f.layer);
        out.packages.push(...r.packages);
        out.diagnostics.push(...r.diagnostics);
      }
    }
    return out;
  },
};
