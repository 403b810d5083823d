/**
 * Rule output formats: `%field` tokens recognized greedily as Falco does, rendered per event,
 * and the typed `output_fields` of Falco's JSON alerts.
 * @module
 */
export { compileOutput, NA } from './format.ts';
export type { CompiledOutput, OutputValue } from './format.ts';
export { renderValue, jsonValue } from './render.ts';
export { parseAppendOutput, suggestedFormat, type AppendOutputEntry, type ExtraField, type ParsedAppendOutput } from './append.ts';
