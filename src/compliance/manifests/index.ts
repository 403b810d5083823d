/**
 * Manifest loading shared by PSS and posture: multi-document YAML with per-document errors.
 * @module
 */
export * from './load.ts';
export * from './pod-spec.ts';
export * from './kinds.ts';
