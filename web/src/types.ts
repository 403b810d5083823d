// Shapes of the API answers the UI reads. Alerts, the overview, activity and scans come from
// the server's own answer types (src/server/api-types.ts), so the two cannot drift; the
// compliance and rules shapes below are the UI's reading of those routes.
import type { FindingAcross, FindingRow } from '../../src/server/api-types.ts';

export { PRIORITIES } from '../../src/core/alert.ts';
export type { Activity, Alert, AlertActivity, AlertList, AlertStats, NameCount, Priority, ScanSummary, StoredAlert } from '../../src/server/api-types.ts';
/** `GET /api/v1/alerts/summary`. */
export type { AlertSummary as Summary } from '../../src/server/api-types.ts';

/** One finding: of one scan, or across scans (then with the scan it is from). */
export type Finding = FindingRow & Partial<Pick<FindingAcross, 'scan' | 'ref' | 'created'>>;

/** A framework's score. */
export interface FrameworkScore {
  id: string;
  name: string;
  score: number | null;
  weightedScore?: number | null;
  passed?: number;
  failed?: number;
  accepted?: number;
}

/** A posture report summary. */
export interface PostureSummary {
  name: string;
  objects: number;
  score: number | null;
  weightedScore: number | null;
  failedControls: number;
  acceptedControls: number;
  frameworks: FrameworkScore[];
}

/** One object's result under a control. */
export interface ResourceResult {
  kind: string;
  namespace: string;
  name: string;
  status: 'passed' | 'failed' | 'accepted';
  messages: string[];
  waiver?: { reason: string; expires?: string };
  line?: number;
}

/** One control's outcome. */
export interface ControlResult {
  id: string;
  name: string;
  severity: string;
  status: 'passed' | 'failed' | 'accepted' | 'not-applicable';
  score: number | null;
  passed: number;
  failed: number;
  accepted: number;
  remediation: string;
  resources: ResourceResult[];
}

/** A loaded rule. */
export interface Rule {
  name: string;
  desc?: string;
  priority: string;
  source: string;
  tags: string[];
  enabled: boolean;
}
