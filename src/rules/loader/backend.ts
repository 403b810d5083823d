/**
 * The compile functions the loader takes from the condition engineer's rooms (contract
 * items 2 and 3), gathered in one place.
 * @module
 */
export { checkCondition, compilePredicate, eventTypes } from '../compiler/index.ts';
export { compileOutput } from '../output/index.ts';
