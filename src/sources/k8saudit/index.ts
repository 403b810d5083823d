/**
 * The k8s_audit source: Kubernetes API server audit events with Falco's k8saudit and json
 * plugin fields.
 * @module
 */
import type { FieldTable } from '../../rules/fields.ts';
import { buildLookup } from '../syscall/fields/index.ts';
import { K8SAUDIT_FIELDS } from './field-defs.ts';

export { K8SAUDIT_FIELDS } from './field-defs.ts';

/** The k8s_audit field table (definitions only). */
export function k8sAuditFieldDefinitions(): FieldTable {
  const fields = [...K8SAUDIT_FIELDS];
  return { source: 'k8s_audit', fields, lookup: buildLookup(fields) };
}
