/**
 * Locates ../shared/conformance (or $VIGIL_CONFORMANCE_DIR) for conformance suites.
 * @module
 */
import { existsSync } from 'node:fs';
import { resolve, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The project's root folder (where package.json is). */
export function projectPath(...parts: string[]): string {
  return join(projectRoot, ...parts);
}

/** The conformance data folder, or undefined when this checkout has none (a user's fresh clone). */
export function conformanceDir(): string | undefined {
  const env = process.env.VIGIL_CONFORMANCE_DIR;
  if (env && existsSync(env)) return env;
  const shared = resolve(projectRoot, '..', 'shared', 'conformance');
  return existsSync(shared) ? shared : undefined;
}

/** A path inside the conformance data, or undefined when the data or that path is absent. */
export function conformancePath(...parts: string[]): string | undefined {
  const dir = conformanceDir();
  if (!dir) return undefined;
  const p = join(dir, ...parts);
  return existsSync(p) ? p : undefined;
}
