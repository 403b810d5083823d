/**
 * The typed items the reader decodes from a rules file, in file order, for the collector.
 * Mirrors the shapes of Falco's rule loader (list/macro/rule definitions, appends, selective
 * replaces, enable toggles, version requirements) with a position on each.
 * @module
 */
import type { Position } from '../../core/index.ts';
import type { Priority } from '../../core/index.ts';

/** A file position (1-based line and column). */
export type Pos = Required<Pick<Position, 'file' | 'line' | 'column'>>;

/** One `fields`/`comps`/`values` entry of an exception: a scalar or a (nested) list. */
export interface ExceptionEntry {
  isList: boolean;
  item: string;
  items: ExceptionEntry[];
}

/** One exception of a rule as written. */
export interface ExceptionInfo {
  name: string;
  fields?: ExceptionEntry;
  comps?: ExceptionEntry;
  values: ExceptionEntry[];
  pos: Pos;
}

/** `- required_engine_version: x.y.z` (or legacy integer N = 0.N.0). */
export interface EngineVersionItem {
  kind: 'engine-version';
  version: string;
  pos: Pos;
}

/** One entry of `required_plugin_versions` with its alternatives (the first is the entry itself). */
export interface PluginVersionsItem {
  kind: 'plugin-versions';
  alternatives: { name: string; version: string }[];
  pos: Pos;
}

/** A list definition or append. */
export interface ListItem {
  kind: 'list';
  name: string;
  items: string[];
  append: boolean;
  pos: Pos;
}

/** A macro definition or append. */
export interface MacroItem {
  kind: 'macro';
  name: string;
  condition: string;
  append: boolean;
  pos: Pos;
  condPos: Pos;
}

/** A full rule definition. */
export interface RuleItem {
  kind: 'rule';
  name: string;
  condition: string;
  output: string;
  desc: string;
  priority: Priority;
  /** Explicit `source:`; undefined when the key is absent (defaults to syscall). */
  source?: string;
  enabled: boolean;
  capture: boolean;
  captureDuration: number;
  warnEvttypes: boolean;
  skipIfUnknownFilter: boolean;
  tags: string[];
  exceptions: ExceptionInfo[];
  pos: Pos;
  condPos: Pos;
  outputPos: Pos;
}

/** The fields an append or a selective replace may carry. */
export interface RuleUpdateFields {
  condition?: string;
  output?: string;
  desc?: string;
  tags?: string[];
  exceptions?: ExceptionInfo[];
  priority?: Priority;
  enabled?: boolean;
  capture?: boolean;
  captureDuration?: number;
  warnEvttypes?: boolean;
  skipIfUnknownFilter?: boolean;
}

/** `append: true` or `override: {key: append}` on a rule. */
export interface RuleAppendItem extends RuleUpdateFields {
  kind: 'rule-append';
  name: string;
  source?: string;
  pos: Pos;
  condPos?: Pos;
}

/** `override: {key: replace}` on a rule. */
export interface RuleReplaceItem extends RuleUpdateFields {
  kind: 'rule-replace';
  name: string;
  source?: string;
  pos: Pos;
}

/** A rule item with only `rule` + `enabled` (deprecated toggle). */
export interface RuleEnableItem {
  kind: 'rule-enable';
  name: string;
  enabled: boolean;
  pos: Pos;
}

/** Anything the reader hands to the collector. */
export type ReadItem =
  | EngineVersionItem
  | PluginVersionsItem
  | ListItem
  | MacroItem
  | RuleItem
  | RuleAppendItem
  | RuleReplaceItem
  | RuleEnableItem;
