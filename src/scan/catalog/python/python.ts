/**
 * The Python cataloger: installed distributions and lockfiles.
 * @module
 */
import { basename } from '../../image/paths.ts';
import type { Cataloger, CatalogResult } from '../types.ts';
import { parsePipfileLock, parseRequirements, parseTomlLock } from './locks.ts';
import { parsePythonMetadata } from './metadata.ts';

const METADATA = /\.(dist-info\/METADATA|egg-info\/PKG-INFO|egg-info)$/;

/** Which parser a path needs, if any. */
function kind(path: string): 'metadata' | 'requirements' | 'pipfile' | 'toml' | undefined {
  const b = basename(path);
  if (METADATA.test(path)) return 'metadata';
  if (b === 'Pipfile.lock') return 'pipfile';
  if (b === 'poetry.lock' || b === 'uv.lock') return 'toml';
  if (/^requirements.*\.txt$/.test(b)) return 'requirements';
  return undefined;
}

/** The python cataloger. */
export const pythonCataloger: Cataloger = {
  id: 'python',
  version: 1,
  wants: (p) => kind(p) !== undefined,
  catalog({ files }) {
    const out: CatalogResult = { packages: [], diagnostics: [] };
    for (const f of files) {
      const text = f.data!.toString('utf8');
      const k = kind(f.path);
      if (k === 'metadata') {
        const p = parsePythonMetadata(text, f.path, f.layer);
        if (p) out.packages.push(p);
        continue;
      }
      const r =
        k === 'pipfile'
          ? parsePipfileLock(text, f.path, f.layer)
          : k === 'toml'
            ? parseTomlLock(text, f.path, f.layer)
            : parseRequirements(text, f.path, f.layer);
      out.packages.push(...r.packages);
      out.diagnostics.push(...r.diagnostics);
    }
    return out;
  },
};
