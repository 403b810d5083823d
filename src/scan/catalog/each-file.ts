/**
 * The loop most catalogers share: parse each wanted file on its own, merge the results.
 * @module
 */
import type { FileRecord } from '../image/index.ts';
import type { CatalogResult } from './types.ts';

/** Runs `parse` over every file and concatenates packages and diagnostics in file order. */
export function catalogEachFile(
  files: FileRecord[],
  parse: (file: FileRecord) => CatalogResult,
): CatalogResult {
  const out: CatalogResult = { packages: [], diagnostics: [] };
  for (const f of files) {
    const r = parse(f);
    out.packages.push(...r.packages);
    out.diagnostics.push(...r.diagnostics);
  }
  return out;
}
