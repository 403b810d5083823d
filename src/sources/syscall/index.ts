/**
 * The syscall source: scap reader, system state, and the live field table (definitions from
 * `fields/` when present, extractors from `extract/`).
 * @module
 */
import type { FieldTable } from '../../rules/index.ts';
import { attachExtractors, standaloneSyscallTable } from './extract/index.ts';
import type { SyscallEvent } from './state/index.ts';

export * from './scap/index.ts';
export * from './state/index.ts';
export {
  SYSCALL_EXTRACTORS, attachExtractors, makeLookup, standaloneSyscallTable, renderArgs, cmdline, iso8601Utc, iso8601Local, timeOfDay,
  type Extractor, type ExtractorMap, type ExtractorSpec,
} from './extract/index.ts';

/**
 * The live syscall field table: the given definitions (the fields room's table) with our
 * extractors attached, or the standalone table built from the extractor specs.
 */
export function syscallFieldTable(definitions?: FieldTable): FieldTable<SyscallEvent> {
  return definitions ? attachExtractors(definitions).table : standaloneSyscallTable();
}
