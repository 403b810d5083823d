/**
 * The shape of an extractor entry: Falco's field type and argument rule (so a standalone
 * table can be built when the definitions are absent) plus the extract function.
 * @module
 */
import type { FieldArgRule, FieldType, FieldValue } from '../../../rules/index.ts';
import type { SyscallEvent } from '../state/index.ts';

/** Reads a field value from an event; undefined means <NA>. */
export type Extractor = (ev: SyscallEvent, arg?: string) => FieldValue;

/** An extractor with the type facts of its field. */
export interface ExtractorSpec {
  type: FieldType;
  arg?: FieldArgRule;
  isList?: boolean;
  desc: string;
  extract: Extractor;
  /** Values a condition on the field without an argument tests one by one (ancestor fields). */
  anyOf?: (ev: SyscallEvent) => readonly FieldValue[] | undefined;
  /** `!=` holds only when every anyOf value differs (both ends of a connection). */
  anyOfNotEqual?: 'all';
}

/** Extractor specs keyed by field name. */
export type ExtractorMap = Record<string, ExtractorSpec>;
