/**
 * The k8s_audit source: Kubernetes API server audit events with Falco's k8saudit and json
 * plugin fields, readers for webhook bodies and audit logs, the verb index of k8s_audit rules.
 * Detection (loading rules, evaluating events, replaying files) lives in the engine room.
 * @module
 */
import type { FieldTable } from '../../rules/index.ts';
import { buildLookup } from '../syscall/fields/index.ts';
import { K8SAUDIT_FIELDS } from './field-defs.ts';

export { K8SAUDIT_FIELDS } from './field-defs.ts';
export { K8SAUDIT_EXTRACTORS, k8sAuditFieldTable } from './table.ts';
export { asString, atPointer, type AuditEvent, type Json } from './event.ts';
export { decodeLines, decodeText, decodeValue, parseRfc3339Ns, DEFAULT_MAX_EVENT_SIZE, type DecodeOptions, type DecodeResult, type LineResult } from './reader.ts';
export { findJsonSyntaxError, type JsonSyntaxProblem } from './json-errors.ts';
export * from './webhook/index.ts';
export { verbEventTypes } from './verb-index.ts';

/** The k8s_audit field table, definitions only (no extractors). */
export function k8sAuditFieldDefinitions(): FieldTable {
  const fields = [...K8SAUDIT_FIELDS];
  return { source: 'k8s_audit', fields, lookup: buildLookup(fields) };
}
