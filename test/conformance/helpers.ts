/**
 * Shared helpers for conformance suites: find the data or skip visibly.
 * @module
 */
import { conformancePath } from '../../src/core/index.ts';

/**
 * Returns the conformance path, or a skip reason that names what is missing.
 * Use as `const { path, skip } = needConformance('falco', 'rules')` then `test(name, { skip }, ...)`.
 */
export function needConformance(...parts: string[]): { path: string; skip: false | string } {
  const p = conformancePath(...parts);
  if (p) return { path: p, skip: false };
  const msg = `conformance data ${parts.join('/')} not found (set VIGIL_CONFORMANCE_DIR or place ../shared/conformance): skipping`;
  console.log(`# SKIP ${msg}`);
  return { path: '', skip: msg };
}
