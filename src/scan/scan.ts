/**
 * One scan: read the image or directory, catalog it, match it against the database.
 * @module
 */
import type { Diagnostic } from '../core/index.ts';
import { catalogView, wantForCatalogers, type Inventory } from './catalog/index.ts';
import { openDirectory, openImage, type ImageContents } from './image/index.ts';
import { matchInventory, type Finding } from './match/index.ts';
import type { VulnDb } from './vulndb/index.ts';

/** The result of a scan: what was scanned, what is in it, and what is wrong with it. */
export interface ScanResult {
  target: ImageContents;
  inventory: Inventory;
  findings: Finding[];
  diagnostics: Diagnostic[];
}

/** Scans an image archive/layout (`kind: 'image'`) or a directory (`kind: 'fs'`); without a db only the inventory is made. */
export async function scanTarget(
  kind: 'image' | 'fs',
  path: string,
  db?: VulnDb,
): Promise<ScanResult> {
  const { contents, view } =
    kind === 'fs'
      ? await openDirectory(path, wantForCatalogers)
      : await openImage(path, wantForCatalogers);
  const inventory = catalogView(view);
  for (const p of inventory.packages) {
    if (p.layer !== undefined && contents.layers[p.layer]) continue;
    delete p.layer;
  }
  const findings = db ? matchInventory(inventory, db) : [];
  return { target: contents, inventory, findings, diagnostics: inventory.diagnostics };
}
