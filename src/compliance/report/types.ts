/**
 * A format-neutral report (one case per check x subject) that JSON-only results are mapped to
 * before rendering as SARIF, JUnit or HTML.
 * @module
 */

/** Outcome of one case. `na` = not applicable; `accepted` = failed but waived. */
export type CaseStatus = 'pass' | 'fail' | 'warn' | 'info' | 'accepted' | 'na';

/** One check evaluated on one subject (or on the node, for benchmarks). */
export interface ReportCase {
  id: string;
  name: string;
  /** Section or framework group the check belongs to. */
  group: string;
  status: CaseStatus;
  severity?: 'critical' | 'high' | 'medium' | 'low';
  message: string;
  remediation?: string;
  /** What was checked, e.g. `Deployment/shop/web` or the node name. */
  subject?: string;
  file?: string;
  line?: number;
}

/** A whole report: tool, title, a flat summary and the cases. */
export interface GenericReport {
  tool: string;
  title: string;
  summary: Record<string, string | number | null>;
  cases: ReportCase[];
}
