/**
 * The loader's public types: options, the load result, and the compiled rule.
 * @module
 */
import type { Diagnostic, Priority } from '../../core/index.ts';
import type { Expr } from '../condition/index.ts';
import type { FieldTable } from '../fields.ts';
import type { Pos } from '../reader/index.ts';

/** One rules file: its name (for positions) and text. */
export interface RulesFile {
  name: string;
  content: string;
}

/** A plugin "loaded" in the engine, for `required_plugin_versions`. */
export interface PluginInfo {
  name: string;
  version: string;
}

/** Options of `loadRules`. */
export interface LoadOptions {
  /** Field tables by source name (`syscall`, `k8s_audit`, ...); a rule's source must have one. */
  fieldTables: Map<string, FieldTable>;
  /** Rules less severe than this are compiled (errors still show) but left out of `rules`. */
  minPriority?: Priority;
  /** The engine version to check `required_engine_version` against (default ENGINE_VERSION). */
  engineVersion?: string;
  /** Files larger than this are rejected with LOAD_ERR_FILE_READ (default 4 MiB). */
  maxFileBytes?: number;
  /** Plugins considered loaded (default BUILTIN_PLUGINS). */
  plugins?: PluginInfo[];
  /**
   * Falco's `append_output` configuration value, as written in falco.yaml (a list of entries
   * with `match`, `extra_output`, `extra_fields`, `suggested_output`). Absent or `[]`: outputs
   * stay as the rules wrote them (Falco before 0.39, and its regression suite). Falco's own
   * default, which Vigil's configuration also has, is `[{suggested_output: true}]`.
   * Problems are CONFIG_* errors of the load, with the JSON path (`$.append_output[0]...`).
   */
  appendOutput?: unknown;
}

/** Renders a rule's output for one event. */
export interface OutputFormatter<E = unknown> {
  /** Field names used in the format, in order. */
  fieldNames: string[];
  render(event: E): string;
  fields(event: E): Record<string, string | number | boolean | null>;
  /**
   * append_output's `extra_fields` for this rule (absent when there are none): they go into
   * `output_fields` after everything else (after `evt.time` too, as in Falco) and never into the text.
   */
  extraFields?(event: E): Record<string, string | number | boolean | null>;
}

/** A rule after compilation: ready for the ruleset. */
export interface CompiledRule<E = unknown> {
  name: string;
  desc: string;
  priority: Priority;
  source: string;
  tags: string[];
  enabled: boolean;
  /** The condition text as collected (appends applied, exceptions not yet). */
  condition: string;
  /** The canonical one-line form of the final tree (lists, macros, exceptions expanded). */
  readonly compiled: string;
  /** The final condition tree. */
  ast: Expr;
  /** Event types the rule can match; undefined = every type (or not a syscall rule). */
  eventTypes: Set<string> | undefined;
  predicate: (event: E) => boolean;
  /** The output format as compiled (trimmed, append_output text added, `%container.info` removed). */
  output: string;
  formatter: OutputFormatter<E>;
  capture: boolean;
  captureDuration: number;
  warnEvttypes: boolean;
  skipIfUnknownFilter: boolean;
  /** Definition order across all files. */
  index: number;
  pos: Pos;
}

/** A list as described after loading. */
export interface ListDescription {
  name: string;
  items: string[];
  itemsCompiled: string[];
  lists: string[];
  used: boolean;
}

/** A macro as described after loading. */
export interface MacroDescription {
  name: string;
  condition: string;
  used: boolean;
}

/** What `loadRules` returns. */
export interface LoadResult<E = unknown> {
  ok: boolean;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  counts: { rules: number; macros: number; lists: number };
  rules: CompiledRule<E>[];
  lists: ListDescription[];
  macros: MacroDescription[];
  /** Falco's rules-schema status of every file (true = validation_ok for all). */
  schemaOk: boolean;
  /** Highest `required_engine_version` seen. */
  requiredEngineVersion?: string;
}
