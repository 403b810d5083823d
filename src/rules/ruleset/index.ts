/**
 * ruleset: the runtime over compiled rules, and Falco's alert shape.
 * @module
 */
export { Ruleset, type RulesetOptions } from './ruleset.ts';
export { toAlert, isoTime, clockTime, type AlertOptions } from './alert.ts';
