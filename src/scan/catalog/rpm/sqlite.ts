/**
 * rpmdb.sqlite (RPM 4.16+): header blobs in the `Packages` table.
 * @module
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Returns every header blob of an rpmdb.sqlite given as bytes. */
export function sqliteBlobs(data: Buffer): Buffer[] {
  // better-sqlite3 opens files or serialized buffers; a buffer keeps the image on no disk.
  let db: Database.Database;
  let dir: string | undefined;
  try {
    // A WAL-mode header (bytes 18-19 = 2) cannot be opened from memory; rollback mode reads the same pages.
    const copy = Buffer.from(data);
    if (copy[18] === 2) copy[18] = 1;
    if (copy[19] === 2) copy[19] = 1;
    db = new Database(copy, { readonly: true });
  } catch {
    dir = mkdtempSync(join(tmpdir(), 'vigil-rpmdb-'));
    writeFileSync(join(dir, 'rpmdb.sqlite'), data);
    db = new Database(join(dir, 'rpmdb.sqlite'), { readonly: true });
  }
  try {
    return (db.prepare('SELECT blob FROM Packages').all() as { blob: Buffer }[]).map((r) => r.blob);
  } finally {
    db.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
