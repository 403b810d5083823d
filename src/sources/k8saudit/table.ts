/**
 * The live k8s_audit field table: the definitions with their extractors attached.
 * @module
 */
import type { FieldDef, FieldTable } from '../../rules/index.ts';
import { buildLookup } from '../syscall/fields/index.ts';
import type { AuditEvent } from './event.ts';
import { KA_EXTRACTORS, type AuditExtractor } from './extract.ts';
import { JSON_EXTRACTORS } from './extract-json.ts';
import { K8SAUDIT_FIELDS } from './field-defs.ts';

/** Every k8s_audit extractor, by field name. */
export const K8SAUDIT_EXTRACTORS: Readonly<Record<string, AuditExtractor | undefined>> = { ...KA_EXTRACTORS, ...JSON_EXTRACTORS };

/** The k8s_audit field table with extractors. */
export function k8sAuditFieldTable(): FieldTable<AuditEvent> {
  const fields: FieldDef<AuditEvent>[] = K8SAUDIT_FIELDS.map((d) => {
    const x = K8SAUDIT_EXTRACTORS[d.name];
    // like the plugin, ka.* fields ignore JSON that is not an audit event (no auditID)
    const extract = x && d.name.startsWith('ka.') ? (ev: AuditEvent, arg?: string) => (ev.obj.auditID === undefined ? undefined : x(ev, arg)) : x;
    return { ...d, extract };
  });
  return { source: 'k8s_audit', fields, lookup: buildLookup(fields) };
}
