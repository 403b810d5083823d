/**
 * config: vigil.yaml with Falco's keys, `-o key=value` overrides, validation with positions.
 * @module
 */
export { loadConfig, ConfigError, type LoadOptions, type LoadedConfig } from './load.ts';
export { parseDuration } from './duration.ts';
export { SCHEMA, PRIORITY_NAMES, type Spec } from './schema.ts';
export type { VigilConfig } from './types.ts';
