/**
 * compliance: Pod Security Standards, workload posture, CIS benchmarks, scores and waivers.
 * @module
 */
export * from './manifests/index.ts';
export * from './pss/index.ts';
export * from './posture/index.ts';
export * from './report/index.ts';
export * from './benchmark/index.ts';
