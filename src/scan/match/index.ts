/**
 * match: inventory × vulnerability database → findings.
 * @module
 */
export { matchInventory, matchKey, chooseSeverity, type Finding } from './match.ts';
export { isAffected, satisfiesConstraint, SCHEME_OF } from './ranges.ts';
