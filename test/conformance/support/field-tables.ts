/**
 * Field tables for the rules conformance suites and the rules bench: the real ones from
 * src/sources (the rules room never imports a source; its callers pass the tables in).
 * @module
 */
import type { FieldTable } from '../../../src/rules/index.ts';
import { fieldTables } from '../../../src/sources/index.ts';

/** The tables to load rules with (`real` kept for the suites' printed summary). */
export async function conformanceFieldTables(): Promise<{
  tables: Map<string, FieldTable>;
  real: boolean;
}> {
  return { tables: fieldTables(), real: true };
}
