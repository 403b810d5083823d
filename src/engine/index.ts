/**
 * engine: runs event sources through the ruleset — syscall captures and streams, Kubernetes
 * audit events — with counters and summaries.
 * @module
 */
export { SyscallEngine, type SyscallEngineOptions, type EngineCounters } from './syscall-engine.ts';
export { summaryLines, summaryObject } from './summary.ts';
export { openRunRecorder, type RunRecorder } from './recording.ts';
export { AuditDetector, type AuditAlertSink, type DetectCounters, type DetectOptions } from './audit-detector.ts';
export { replayAuditFile, type ReplayOptions, type ReplaySummary } from './audit-replay.ts';
export { loadAuditRules, loadAuditRulesText, type AuditRules, type AuditRulesOptions } from './audit-rules.ts';
export { adaptiveSyscalls, engineFieldTables, loadSyscallRules, loadSyscallRulesText, type RulesLoadOptions } from './rules.ts';
