/**
 * Installed Python distributions: `*.dist-info/METADATA` and `*.egg-info/PKG-INFO` (or an
 * `.egg-info` file), RFC 822 headers with Name and Version.
 * @module
 */
import { normalizePep440 } from '../../versions/index.ts';
import { purl } from '../purl.ts';
import type { Package } from '../types.ts';

/** PEP 503 normalised project name (lower case, runs of `-_.` as `-`). */
export function normalizePyName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Builds a PyPI package. */
export function pyPackage(
  name: string,
  version: string,
  file: string,
  layer?: number,
  dev?: boolean,
): Package {
  const p: Package = {
    name,
    version,
    type: 'pypi',
    purl: purl('pypi', undefined, normalizePyName(name), version),
    foundIn: file,
  };
  if (layer !== undefined) p.layer = layer;
  if (dev) p.dev = true;
  return p;
}

/** Reads Name/Version/License from a METADATA or PKG-INFO file. */
export function parsePythonMetadata(
  text: string,
  file: string,
  layer?: number,
): Package | undefined {
  const head = text.split(/\r?\n\r?\n/)[0] ?? '';
  const get = (k: string): string | undefined =>
    new RegExp(`^${k}:[ \\t]*(.*)$`, 'mi').exec(head)?.[1]?.trim();
  const name = get('Name');
  const version = get('Version');
  if (!name || !version) return undefined;
  const p = pyPackage(name, normalizePep440(version) ?? version, file, layer);
  const lic = get('License-Expression') ?? get('License');
  if (lic && lic !== 'UNKNOWN') p.licenses = [lic];
  return p;
}
