/**
 * Pod Security Standards, evaluated as Kubernetes' Pod Security Admission does, per version.
 * @module
 */
export type { Level, Violation, PssCheck, Finding } from './types.ts';
export { pssChecks } from './checks/index.ts';
export {
  checksFor,
  evaluatePod,
  latestMinor,
  parseLevel,
  parseVersion,
  type PolicyVersion,
} from './evaluate.ts';
export {
  checkManifestText,
  checkObjects,
  type PssReport,
  type PssResult,
} from './check-objects.ts';
export { pssToGeneric } from './to-report.ts';
