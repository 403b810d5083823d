/**
 * sources: the event sources (syscall, k8s_audit) and their field tables.
 * @module
 */
import type { FieldDef, FieldTable } from '../rules/index.ts';
import { k8sAuditFieldTable } from './k8saudit/index.ts';
import { SYSCALL_FIELDS, syscallLookup } from './syscall/fields/index.ts';
import { SYSCALL_EXTRACTORS } from './syscall/index.ts';

export { SYSCALL_FIELDS, SYSCALL_FIELD_DEFS, syscallFieldDefinitions, rawArgType } from './syscall/fields/index.ts';
export { KNOWN_EVENT_TYPES, knownEventType } from './syscall/event-types.ts';
export * from './k8saudit/index.ts';
export * from './syscall/index.ts';
export * from './syscall/live/index.ts';

/** The syscall table: the field definitions with the syscall extractors attached by name. */
export function syscallTable(): FieldTable {
  const fields: FieldDef[] = SYSCALL_FIELDS.map((d) => {
    const x = SYSCALL_EXTRACTORS[d.name];
    return x ? { ...d, extract: x.extract as FieldDef['extract'] } : { ...d };
  });
  return { source: 'syscall', fields, lookup: syscallLookup(fields) };
}

/**
 * The field table of every source, by source name (`syscall`, `k8s_audit`): Falco's field
 * names, types and argument rules, with extractors where the source has them.
 */
export function fieldTables(): Map<string, FieldTable> {
  return new Map<string, FieldTable>([
    ['syscall', syscallTable()],
    ['k8s_audit', k8sAuditFieldTable() as FieldTable],
  ]);
}
