/**
 * The shapes of the API's answers that the web UI reads, in one place: the routes build their
 * answers with these types and `web/src/types.ts` re-exports them, so server and UI cannot
 * drift (`tsc -p web`, run by test/e2e/web-units.test.ts, checks the UI against them).
 * Only type imports of files that import nothing at run time may appear here: the UI's type
 * check loads this file and everything it imports.
 * @module
 */
import type { AlertPage, AlertStats, StoredAlert } from '../store/types.ts';

export type { Alert, Priority } from '../core/types.ts';
export type { Activity, AlertStats, NameCount, StoredAlert } from '../store/types.ts';

/** `GET /api/v1/alerts`: one page, newest first; `next` is the cursor of the following page. */
export type AlertList = AlertPage;

/** `GET /api/v1/alerts/summary`: the overview's counts, the chart's range and the newest alerts. */
export interface AlertSummary extends AlertStats {
  /** Epoch ms: the range the buckets cover (the filter's, or the oldest and newest matching alert). */
  since: number;
  until: number;
  bucketMs: number;
  newest: StoredAlert[];
}

/** `GET /api/v1/alerts/:id/activity`. */
export interface AlertActivity {
  /** The alert's container; absent for a host process, which `pid` names instead. */
  container?: string;
  pid?: unknown;
  windowMs: number;
  total: number;
  activity: import('../store/types.ts').Activity[];
}

/** What a scan list shows (`GET /api/v1/scans`). */
export interface ScanSummary {
  kind: 'image' | 'fs';
  ref: string;
  os?: string;
  packages: number;
  findings: number;
  fixable: number;
  bySeverity: Record<string, number>;
}

/** One finding as the API shows it (flat, small). */
export interface FindingRow {
  vulnId: string;
  severity: string;
  pkg: string;
  type: string;
  installed: string;
  fixed?: string;
  status: string;
  title?: string;
  cvssScore?: number;
}

/** A finding of `GET /api/v1/findings`, across scans: which scan and image it is from. */
export interface FindingAcross extends FindingRow {
  scan: string;
  ref: string;
  created: string;
}
