/**
 * collector: lists, macros and rules across files (append, override, enable, versions).
 * @module
 */
export { Collector } from './collector.ts';
export { Indexed } from './indexed.ts';
export {
  OPERATORS,
  LIST_OPERATORS,
  isListOperator,
  isOperatorWithModifier,
  normalizeComp,
} from './operators.ts';
export type { CollectorEnv, ListInfo, MacroInfo, RuleInfo } from './types.ts';
