/**
 * reader: rules YAML -> typed items with positions (the first stage of the loader).
 * @module
 */
export { readRulesFile, parseYaml, MAX_RULES_FILE_BYTES, type ReadState } from './reader.ts';
export { parsePriority, priorityLevel } from './priority.ts';
export { parseSemver, isValidSemver, semverCompatible, compareSemver } from './semver.ts';
export { ERROR_OVERRIDE_APPEND } from './items.ts';
export type * from './types.ts';
