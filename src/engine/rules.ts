/**
 * Loading rules files for the syscall engine: reads the files, builds the field tables
 * (syscall with live extractors) and returns a ruleset plus the load diagnostics.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { Diagnostic, Priority } from '../core/index.ts';
import { VigilError } from '../core/index.ts';
import { loadRules, Ruleset, type FieldTable, type LoadResult } from '../rules/index.ts';
import { attachExtractors, fieldTables, type SyscallEvent } from '../sources/index.ts';

/** Options for `loadSyscallRules`. */
export interface RulesLoadOptions {
  minPriority?: Priority;
  ruleMatching?: 'first' | 'all';
  /** Extra field tables (e.g. k8s_audit) so mixed files load; the syscall table is always present. */
  extraTables?: Map<string, FieldTable>;
  /** Other definitions for the syscall table; extractors are attached (default: the fields room's). */
  syscallDefinitions?: FieldTable;
  /**
   * Falco's `append_output` value as configured (vigil.yaml `append_output`, whose default is
   * Falco 0.41's `[{suggested_output: true}]`). Absent: rule outputs are used as written.
   */
  appendOutput?: unknown;
}

/** Field tables for loading: every source's table (syscall with live extractors), plus any extras. */
export function engineFieldTables(opts: RulesLoadOptions = {}): Map<string, FieldTable> {
  const m = fieldTables();
  for (const [k, v] of opts.extraTables ?? []) m.set(k, v);
  if (opts.syscallDefinitions) m.set('syscall', attachExtractors(opts.syscallDefinitions).table as FieldTable);
  return m;
}

/** Loads rules files from text. */
export function loadSyscallRulesText(files: { name: string; content: string }[], opts: RulesLoadOptions = {}): { result: LoadResult<SyscallEvent>; ruleset: Ruleset<SyscallEvent> } {
  const result = loadRules(files, { fieldTables: engineFieldTables(opts), minPriority: opts.minPriority, appendOutput: opts.appendOutput }) as unknown as LoadResult<SyscallEvent>;
  const ruleset = new Ruleset<SyscallEvent>(result.rules, { minPriority: opts.minPriority, ruleMatching: opts.ruleMatching });
  return { result, ruleset };
}

/** Loads rules files from disk; unreadable files are LOAD_ERR_FILE_READ errors. */
export function loadSyscallRules(paths: string[], opts: RulesLoadOptions = {}): { result: LoadResult<SyscallEvent>; ruleset: Ruleset<SyscallEvent>; readErrors: Diagnostic[] } {
  const files: { name: string; content: string }[] = [];
  const readErrors: Diagnostic[] = [];
  for (const p of paths) {
    try {
      files.push({ name: p, content: readFileSync(p, 'utf8') });
    } catch (e) {
      readErrors.push(new VigilError('LOAD_ERR_FILE_READ', `could not read rules file ${p}: ${(e as Error).message}`, { file: p }).diagnostic);
    }
  }
  return { ...loadSyscallRulesText(files, opts), readErrors };
}

/**
 * Falco's adaptive syscalls: the event types the enabled syscall rules can match (the sensor
 * adds what its state needs). Undefined when a rule matches every type, so everything is captured.
 */
export function adaptiveSyscalls(rules: readonly { source: string; enabled: boolean; eventTypes?: Set<string> }[]): Set<string> | undefined {
  const types = new Set<string>();
  for (const r of rules) {
    if (r.source !== 'syscall' || !r.enabled) continue;
    if (!r.eventTypes) return undefined;
    for (const t of r.eventTypes) types.add(t);
  }
  return types;
}
