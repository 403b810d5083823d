// Shapes of the API answers the UI reads (the OpenAPI document has the full picture).

/** Falco's priorities, most severe first. */
export const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;
/** One of Falco's priorities. */
export type Priority = (typeof PRIORITIES)[number];

/** An alert in Falco's JSON shape. */
export interface Alert {
  hostname: string;
  output: string;
  output_fields: Record<string, unknown>;
  priority: Priority;
  rule: string;
  source: string;
  tags: string[];
  time: string;
}

/** An alert as stored, with its id and epoch ms. */
export interface StoredAlert {
  id: string;
  ts: number;
  alert: Alert;
}

/** A name with a count (top lists). */
export interface NameCount {
  name: string;
  count: number;
  label?: string;
}

/** `GET /api/v1/alerts/summary`. */
export interface Summary {
  total: number;
  byPriority: Record<Priority, number>;
  buckets: { start: number; total: number; byPriority: Partial<Record<Priority, number>> }[];
  topRules: NameCount[];
  topContainers: NameCount[];
  topNamespaces: NameCount[];
  topPods: NameCount[];
  since: number;
  until: number;
  bucketMs: number;
  newest: StoredAlert[];
}

/** One recorded activity. */
export interface Activity {
  id?: number;
  kind: 'exec' | 'net' | 'file';
  ts: number;
  pid: number;
  comm?: string;
  exe?: string;
  cmdline?: string;
  user?: string;
  containerId?: string;
  pod?: string;
  namespace?: string;
  detail?: Record<string, unknown>;
}

/** A kept scan's summary. */
export interface ScanSummary {
  kind: 'image' | 'fs';
  ref: string;
  os?: string;
  packages: number;
  findings: number;
  fixable: number;
  bySeverity: Record<string, number>;
}

/** One finding. */
export interface Finding {
  vulnId: string;
  severity: string;
  pkg: string;
  type: string;
  installed: string;
  fixed?: string;
  status: string;
  title?: string;
  scan?: string;
  ref?: string;
}

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
