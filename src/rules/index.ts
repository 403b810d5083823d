/**
 * rules: the Falco rules language — reader, collector, compiler, ruleset. The room's door.
 * @module
 */
export { loadRules, ENGINE_VERSION, BUILTIN_PLUGINS, isValidLhsField } from './loader/index.ts';
export type {
  LoadOptions,
  LoadResult,
  CompiledRule,
  RulesFile,
  PluginInfo,
  OutputFormatter,
  ListDescription,
  MacroDescription,
} from './loader/index.ts';
export {
  Ruleset,
  toAlert,
  isoTime,
  clockTime,
  type RulesetOptions,
  type AlertOptions,
} from './ruleset/index.ts';
export { parsePriority, priorityLevel } from './reader/index.ts';
export { parseAppendOutput, suggestedFormat, type AppendOutputEntry, type ParsedAppendOutput } from './output/index.ts';
export {
  parseCondition,
  formatCondition,
  ConditionSyntaxError,
  SUPPORTED_OPERATORS,
  SUPPORTED_TRANSFORMERS,
} from './condition/index.ts';
export type { Expr, ParseOptions } from './condition/index.ts';
export type { FieldDef, FieldTable, FieldType, FieldValue, FieldArgRule } from './fields.ts';
