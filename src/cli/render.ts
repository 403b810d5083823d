/**
 * Shared rendering helpers for commands: `-o json` vs human output, diagnostics to stderr.
 * @module
 */
import { existsSync } from 'node:fs';
import { formatDiagnostic, projectPath, VigilError, type Diagnostic } from '../core/index.ts';

/** Splits repeated `-o` values into the output format and Falco-style `key=value` overrides. */
export function parseOutputOptions(values: string[] | undefined): { format: 'text' | 'json'; overrides: Record<string, string> } {
  let format: 'text' | 'json' = 'text';
  const overrides: Record<string, string> = {};
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    if (eq > 0) overrides[v.slice(0, eq)] = v.slice(eq + 1);
    else if (v === 'json' || v === 'text') format = v;
    else throw new Error(`unknown output format '${v}' (expected json, text or key=value)`);
  }
  if (overrides.json_output === 'true') format = 'json';
  return { format, overrides };
}

/** Collects repeatable option values (commander helper). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Prints diagnostics for humans on stderr. */
export function printDiagnostics(diags: Diagnostic[]): void {
  for (const d of diags) process.stderr.write(formatDiagnostic(d) + '\n');
}

/** Invalid input: prints a VigilError's diagnostic and sets exit code 2; anything else is a bug and is rethrown. */
export function reportInputError(e: unknown): void {
  if (!(e instanceof VigilError)) throw e;
  printDiagnostics([e.diagnostic]);
  process.exitCode = 2;
}

/** The default ruleset, used when no -r is given. */
export const DEFAULT_RULES = 'rules/vigil_rules.yaml';

/**
 * The rules files to load: the ones given with -r, else Vigil's default ruleset. Returns
 * undefined after explaining on stderr when there are none (the caller exits 2).
 */
export function ruleFilesOrDefault(given: string[] | undefined): string[] | undefined {
  if (given?.length) return given;
  const def = projectPath(DEFAULT_RULES);
  if (existsSync(def)) return [def];
  process.stderr.write(`no rules: pass -r RULES (the default ${DEFAULT_RULES} is absent)\n`);
  return undefined;
}
