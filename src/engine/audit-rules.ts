/**
 * Loading rules files for the k8s_audit source: read the files, load them against the
 * given field tables and build the ruleset (mixed files load; only k8s_audit rules run here).
 * @module
 */
import { readFileSync } from 'node:fs';
import { error, type Diagnostic, type Priority } from '../core/index.ts';
import { loadRules, Ruleset, type FieldTable, type LoadResult } from '../rules/index.ts';
import { verbEventTypes, type AuditEvent } from '../sources/index.ts';

/** Options of `loadAuditRules`. */
export interface AuditRulesOptions {
  fieldTables: Map<string, FieldTable>;
  minPriority?: Priority;
  ruleMatching?: 'first' | 'all';
  /** Falco's `append_output` value as configured (see the rules door's LoadOptions). */
  appendOutput?: unknown;
}

/** The loaded rules: diagnostics, the ruleset, and how many k8s_audit rules it holds. */
export interface AuditRules {
  ok: boolean;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  ruleset: Ruleset<AuditEvent>;
  auditRules: number;
  result?: LoadResult<AuditEvent>;
}

/** Loads rules files from disk for audit-event detection. */
export function loadAuditRules(paths: string[], opts: AuditRulesOptions): AuditRules {
  const files: { name: string; content: string }[] = [];
  const errors: Diagnostic[] = [];
  for (const p of paths) {
    try {
      files.push({ name: p, content: readFileSync(p, 'utf8') });
    } catch (e) {
      errors.push(error('LOAD_ERR_FILE_READ', `could not read rules file ${p}: ${(e as Error).message}`, { file: p }));
    }
  }
  return loadAuditRulesText(files, opts, errors);
}

/**
 * Loads rules from text. The k8s_audit rules get the request verbs they can match as their
 * event types (see verb-index.ts), so the detector skips rules that cannot match a verb.
 */
export function loadAuditRulesText(files: { name: string; content: string }[], opts: AuditRulesOptions, readErrors: Diagnostic[] = []): AuditRules {
  const errors = [...readErrors];
  const result = loadRules(files, { fieldTables: opts.fieldTables, minPriority: opts.minPriority, appendOutput: opts.appendOutput }) as unknown as LoadResult<AuditEvent>;
  for (const r of result.rules) if (r.source === 'k8s_audit' && r.eventTypes === undefined) r.eventTypes = verbEventTypes(r.ast);
  const ruleset = new Ruleset<AuditEvent>(result.rules, { minPriority: opts.minPriority, ruleMatching: opts.ruleMatching });
  const all = [...errors, ...result.errors];
  return {
    ok: all.length === 0 && result.ok,
    errors: all,
    warnings: result.warnings,
    ruleset,
    auditRules: result.rules.filter((r) => r.source === 'k8s_audit').length,
    result,
  };
}
