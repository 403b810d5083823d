/**
 * Workload and cluster posture: controls, scans, scores and waivers.
 * @module
 */
export type {
  Control,
  Mappings,
  PostureConfig,
  ResourceResult,
  Severity,
  Subject,
  Target,
} from './types.ts';
export { controls } from './controls/index.ts';
export { scanObjects, type ControlResult, type PostureReport, type ScanOptions } from './scan.ts';
export {
  controlScore,
  frameworks,
  frameworkScore,
  severityWeight,
  type Framework,
  type FrameworkScore,
} from './score.ts';
export { compileWaivers, globToRegExp, parseWaivers, type Waiver } from './waivers.ts';
export { postureToGeneric, type Locator } from './to-report.ts';
export { postureToPrometheus } from './metrics.ts';
export { scanLiveCluster, type LiveOptions } from './live/index.ts';
