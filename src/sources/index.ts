/**
 * sources: the event sources (syscall, k8s_audit) and their field tables.
 * @module
 */
import type { FieldTable } from '../rules/index.ts';
import { k8sAuditFieldTable } from './k8saudit/index.ts';
import { syscallFieldDefinitions } from './syscall/fields/index.ts';
import { attachExtractors, type SyscallEvent } from './syscall/index.ts';

export { SYSCALL_FIELDS, SYSCALL_FIELD_DEFS, syscallFieldDefinitions, rawArgType } from './syscall/fields/index.ts';
export { KNOWN_EVENT_TYPES, knownEventType } from './syscall/event-types.ts';
export * from './k8saudit/index.ts';
export * from './syscall/index.ts';
export { replayState, stateTableHandlers, type ReplayStateOptions, type ReplayStateResult } from './syscall/replay-state.ts';
export * from './syscall/live/index.ts';
export { ContainerGate, applyContainerMetadata, type ContainerGateOptions, type ContainerGateStats, type ContainerMetadataSource } from './syscall/live/containers.ts';
export { containerFromMetadata, type ContainerMetadata, type LiveContainerInfo, type PodFacts } from './syscall/state/containers.ts';

/**
 * The syscall field table: Falco's field definitions with the syscall extractors attached by
 * name. The one table conditions, outputs and tests read syscall fields through.
 */
export function syscallTable(): FieldTable<SyscallEvent> {
  return attachExtractors(syscallFieldDefinitions()).table;
}

/**
 * The field table of every source, by source name (`syscall`, `k8s_audit`): Falco's field
 * names, types and argument rules, with extractors where the source has them.
 */
export function fieldTables(): Map<string, FieldTable> {
  return new Map<string, FieldTable>([
    ['syscall', syscallTable() as FieldTable],
    ['k8s_audit', k8sAuditFieldTable() as FieldTable],
  ]);
}
