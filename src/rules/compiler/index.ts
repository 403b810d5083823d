/**
 * The condition compiler: type checks against a source's field table, predicates built from
 * closures, and the event types a rule can match.
 * @module
 */
export { checkCondition, compilePredicate, COMPILE_ERROR_CODE } from './compile.ts';
export { eventTypes, eventTypeSet } from './evttypes.ts';
export type { EventTypeSet } from './evttypes.ts';
export { incompatibility, typeClass } from './types.ts';
export type { TypeClass } from './types.ts';
export { resolveOperand, CompileError } from './operands.ts';
export type { Operand } from './operands.ts';
export { globToRegExp, compileRegex, compilePathPrefix } from './matching.ts';
export { regexIsTrivial } from './warnings.ts';
