/**
 * One scan: read the image or directory, catalog it, match it against the database.
 * @module
 */
import type { Diagnostic } from '../core/index.ts';
import { catalogView, wantForCatalogers, type Inventory } from './catalog/index.ts';
import { existsSync } from 'node:fs';
import {
  openDirectory,
  CONTAINERD_PREFIX,
  openImage,
  parseImageRef,
  readContainerdImage,
  readRegistryImage,
  resolveCredentials,
  type ImageContents,
  type Platform,
} from './image/index.ts';
import { matchInventory, type Finding } from './match/index.ts';
import type { VulnDb } from './vulndb/index.ts';

/** The result of a scan: what was scanned, what is in it, and what is wrong with it. */
export interface ScanResult {
  target: ImageContents;
  inventory: Inventory;
  findings: Finding[];
  diagnostics: Diagnostic[];
}

// A reference that is not a local path and reads as `[registry/]repo[:tag]`.
function isRegistryRef(s: string): boolean {
  return (
    !existsSync(s) &&
    !s.startsWith('/') &&
    !s.startsWith('.') &&
    /^[a-z0-9][\w.:/@-]*$/.test(s) &&
    !/\.(tar|tgz|gz)$/.test(s)
  );
}

/** Scans an image archive/layout/registry reference (`kind: 'image'`) or a directory (`kind: 'fs'`); without a db only the inventory is made. */
export async function scanTarget(
  kind: 'image' | 'fs',
  path: string,
  db?: VulnDb,
  opts: {
    platform?: Platform;
    /** Registry login: explicit user/password, else the Docker config (`configPath` overrides where). */
    auth?: { username?: string; password?: string; configPath?: string };
  } = {},
): Promise<ScanResult> {
  const { contents, view } =
    kind === 'fs'
      ? await openDirectory(path, wantForCatalogers)
      : path.startsWith(CONTAINERD_PREFIX)
        ? await readContainerdImage(
            path,
            wantForCatalogers,
            opts.platform ? { platform: opts.platform } : {},
          )
        : isRegistryRef(path)
          ? await readRegistryImage(path, wantForCatalogers, {
              ...(opts.platform ? { platform: opts.platform } : {}),
              credentials: resolveCredentials(parseImageRef(path).registry, opts.auth),
            })
          : await openImage(path, wantForCatalogers);
  const inventory = catalogView(view);
  for (const p of inventory.packages) {
    if (p.layer !== undefined && contents.layers[p.layer]) continue;
    delete p.layer;
  }
  const findings = db ? matchInventory(inventory, db) : [];
  return { target: contents, inventory, findings, diagnostics: inventory.diagnostics };
}
