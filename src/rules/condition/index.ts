/**
 * The Falco condition language: parser (libsinsp grammar), AST and canonical printer.
 * @module
 */
export type * from './ast.ts';
export { parseCondition, parseOperandAt, fieldNameLengthAt, SUPPORTED_OPERATORS, SUPPORTED_TRANSFORMERS } from './parser.ts';
export type { ParseOptions } from './parser.ts';
export { ConditionSyntaxError } from './errors.ts';
export { formatCondition } from './format.ts';
export { escapeStr, unescapeStr } from './escaping.ts';
export { walkExpr } from './walk.ts';
