/**
 * Scans for the API: opens the vulnerability database read-only for each scan (so `vigil db
 * import` can refresh it while the server runs) and scans inventory-only when there is none.
 * @module
 */
import { existsSync } from 'node:fs';
import { warning } from '../core/index.ts';
import { scanTarget, VulnDb, type ScanResult } from '../scan/index.ts';

/** Scans `ref` with the database at `dbPath` when it exists. */
export async function scanWithDb(kind: 'image' | 'fs', ref: string, dbPath: string): Promise<ScanResult> {
  const db = existsSync(dbPath) ? new VulnDb(dbPath, { readonly: true }) : undefined;
  try {
    const r = await scanTarget(kind, ref, db);
    if (!db) r.diagnostics.unshift(warning('SCAN_NO_DB', `no vulnerability database at ${dbPath}: inventory only (run "vigil db import")`));
    return r;
  } finally {
    db?.close();
  }
}
