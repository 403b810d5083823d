/**
 * What the collector keeps: lists, macros and rules after appends, overrides and
 * redefinitions, each with Falco's index (definition order) and visibility.
 * @module
 */
import type { Priority } from '../../core/index.ts';
import type { ExceptionInfo, Pos } from '../reader/index.ts';

/** A collected list. */
export interface ListInfo {
  name: string;
  items: string[];
  /** Position in definition order (kept when redefined). */
  index: number;
  /** Items may only refer to lists with index < visibility. */
  visibility: number;
  pos: Pos;
}

/** A collected macro. */
export interface MacroInfo {
  name: string;
  condition: string;
  index: number;
  /** The macro may only use macros with index < visibility. */
  visibility: number;
  pos: Pos;
  condPos: Pos;
}

/** A collected rule (before compilation). */
export interface RuleInfo {
  name: string;
  condition: string;
  output: string;
  desc: string;
  priority: Priority;
  /** Source as collected; '' never happens for definitions (default `syscall`). */
  source: string;
  enabled: boolean;
  capture: boolean;
  captureDuration: number;
  warnEvttypes: boolean;
  skipIfUnknownFilter: boolean;
  tags: string[];
  exceptions: ExceptionInfo[];
  index: number;
  visibility: number;
  /** The source has no field table: the rule is kept for appends but never compiled. */
  unknownSource: boolean;
  pos: Pos;
  condPos: Pos;
  outputPos: Pos;
}

/** Services the collector needs from the loader (it never sees field tables itself). */
export interface CollectorEnv {
  /** The engine version rules files are checked against (x.y.z). */
  engineVersion: string;
  /** True when a source has a field table. */
  hasSource(source: string): boolean;
  /** True when `field` (possibly with transformers/argument) is valid on the left of a comparison. */
  isValidLhsField(source: string, field: string): boolean;
}
