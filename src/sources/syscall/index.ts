/**
 * The syscall source: scap reader, system state, field definitions and the extractors that the
 * sources door attaches to them (`syscallTable()` there is the table to use).
 * @module
 */
import type { FieldTable } from '../../rules/index.ts';
import { attachExtractors } from './extract/index.ts';
import { syscallFieldDefinitions } from './fields/index.ts';
import type { SyscallEvent } from './state/index.ts';

export * from './scap/index.ts';
export * from './state/index.ts';
export {
  SYSCALL_EXTRACTORS, attachExtractors, renderArgs, cmdline, iso8601Utc, iso8601Local, timeOfDay,
  type Extractor, type ExtractorMap, type ExtractorSpec,
} from './extract/index.ts';

/**
 * The live syscall field table: `definitions` (default: the fields room's) with the extractors
 * attached. Kept for callers of the engine's `syscallDefinitions` option; the door's
 * `syscallTable()` is the same table for the default definitions.
 */
export function syscallFieldTable(definitions: FieldTable = syscallFieldDefinitions()): FieldTable<SyscallEvent> {
  return attachExtractors(definitions).table;
}

/** Deprecated alias of the door's `syscallTable()` (the full definitions with extractors), for older callers. */
export function standaloneSyscallTable(): FieldTable<SyscallEvent> {
  return syscallFieldTable();
}
