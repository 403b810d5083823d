/**
 * engine: runs event sources through the ruleset (counters, summaries).
 * @module
 */
export { SyscallEngine, type SyscallEngineOptions, type EngineCounters } from './syscall-engine.ts';
export { summaryLines, summaryObject } from './summary.ts';
export { openRunRecorder, type RunRecorder } from './recording.ts';
export { adaptiveSyscalls, engineFieldTables, loadSyscallRules, loadSyscallRulesText, type RulesLoadOptions } from './rules.ts';
