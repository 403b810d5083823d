/**
 * The syscall source: scap reader, system state, field definitions and the extractors that the
 * sources door attaches to them (`syscallTable()` there is the table to use).
 * @module
 */
export * from './scap/index.ts';
export * from './state/index.ts';
export {
  SYSCALL_EXTRACTORS, attachExtractors, renderArgs, cmdline, iso8601Utc, iso8601Local, timeOfDay,
  type Extractor, type ExtractorMap, type ExtractorSpec,
} from './extract/index.ts';
