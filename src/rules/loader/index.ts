/**
 * loader: reader -> collector -> compile (lists, macros, exceptions, type check, predicates).
 * @module
 */
export { loadRules, ENGINE_VERSION, BUILTIN_PLUGINS } from './load.ts';
export { isValidLhsField } from './fields.ts';
export type * from './types.ts';
