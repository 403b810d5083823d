/**
 * CIS benchmarks: kube-bench's definition format, its engine, k3s-aware definitions and
 * runners for this host or a recorded node.
 * @module
 */
export {
  parseControls,
  type Check,
  type Controls,
  type Group,
  type TestItem,
  type Tests,
  type Compare,
} from './model.ts';
export { compareOp, findEnv, findFlag } from './compare.ts';
export { evalJsonPath } from './jsonpath.ts';
export {
  mergeConfig,
  parseConfig,
  resolveVariables,
  substitute,
  type BenchConfig,
} from './config.ts';
export {
  runCheck,
  runControls,
  type CheckResult,
  type ControlsResult,
  type GroupResult,
  type State,
  type Applicability,
  type RunContext,
} from './run.ts';
export { HostRunner, runShell, type AuditResult, type AuditRunner } from './runner.ts';
export { FixtureRunner, redirectPaths, type NodeRecording } from './fixture-runner.ts';
export {
  controlFiles,
  loadBenchmark,
  runBenchmark,
  type Benchmark,
  type BenchReport,
  type RunOptions,
} from './benchmark.ts';
export {
  HostNodeView,
  RecordedNodeView,
  K3sRunner,
  k3sFacts,
  mergedConfig,
  parseArgv,
  processOptions,
  globNode,
  kubeBenchSetFor,
  runVigilK3s,
  vigilK3sDefinitions,
  type NodeView,
  type K3sFacts,
  type FileInfo,
} from './k3s/index.ts';
export { benchText, benchToGeneric, benchToPrometheus } from './output.ts';
