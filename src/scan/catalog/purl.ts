/**
 * Package URLs through packageurl-js.
 * @module
 */
import { PackageURL } from 'packageurl-js';

/** Builds a purl string; namespace and qualifiers are optional. */
export function purl(
  type: string,
  namespace: string | undefined,
  name: string,
  version: string,
  qualifiers?: Record<string, string | undefined>,
): string {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(qualifiers ?? {})) if (v) q[k] = v;
  return new PackageURL(
    type,
    namespace,
    name,
    version,
    Object.keys(q).length ? q : undefined,
    undefined,
  ).toString();
}
