/**
 * Report renderers shared by posture and benchmark results: SARIF, JUnit, HTML.
 * @module
 */
export type { CaseStatus, GenericReport, ReportCase } from './types.ts';
export { toSarif } from './sarif.ts';
export { toJUnit, xmlEscape } from './junit.ts';
export { toHtml } from './html.ts';
export { toPrometheus, type Sample } from './prometheus.ts';
