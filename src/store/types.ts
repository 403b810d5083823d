/**
 * The `Store` contract: alerts, the delivery outbox, activity records and retention. Both
 * implementations (`sqlite/`, `postgres/`) pass the one shared suite in `common.case.ts`.
 * @module
 */
// core's types-only door: the web UI type-checks against these types and must not load the
// main door's Node-only modules
import type { Alert, Priority } from '../core/types.ts';

/** An alert as kept: Falco's JSON plus the id used for de-duplication downstream. */
export interface StoredAlert {
  /** Time-ordered unique id (see `newId`). */
  id: string;
  /** Epoch milliseconds of `alert.time`. */
  ts: number;
  alert: Alert;
}

/** Filter for `queryAlerts` / `pageAlerts` / `alertStats`; every field narrows, all optional. */
export interface AlertFilter {
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  /** Rule name, or any of several. */
  rule?: string | string[];
  /** Keep alerts at least this severe. */
  minPriority?: Priority;
  /** Keep alerts of exactly this priority (or any of several). */
  priority?: Priority | Priority[];
  source?: string;
  /** Exact `container.id`. */
  containerId?: string;
  /** A container by id, by name, or by a full 64-hex id whose 12-character short id was stored. */
  container?: string;
  /** Pod name (`k8s.pod.name`, or `ka.target.name` of an audit event on pods). */
  pod?: string;
  /** Namespace (`k8s.ns.name` or `ka.target.namespace`). */
  namespace?: string;
  pid?: number;
  /** Case-insensitive substring of the alert's `output` line (index-backed from 3 characters). */
  text?: string;
}

/** An alert query: a filter plus order and keyset pagination. */
export interface AlertQuery extends AlertFilter {
  /** `next` of a previous page: continue after its last alert, in the same order. */
  cursor?: string;
  /** Newest first when true (default false: oldest first). */
  newestFirst?: boolean;
  limit?: number;
}

/** One page of alerts; `next` is set when more alerts match. */
export interface AlertPage {
  alerts: StoredAlert[];
  next?: string;
}

/** A name with its count, for the overview's top lists. */
export interface NameCount {
  name: string;
  count: number;
  /** A human label where the name is an id (a container's name). */
  label?: string;
}

/** What `alertStats` counts over the alerts a filter selects. */
export interface AlertStatsQuery extends AlertFilter {
  /** Width of the time buckets, ms; no buckets unless set. */
  bucketMs?: number;
  /** Length of each top list. Default 10. */
  top?: number;
  /** Count the alert rows themselves instead of the summary tables (the reference in tests and benchmarks). */
  fromRows?: boolean;
}

/** Aggregate counts for the overview. */
export interface AlertStats {
  total: number;
  /** Every priority name, zero when absent. */
  byPriority: Record<Priority, number>;
  /** Non-empty time buckets, oldest first: start (epoch ms) and counts by priority. */
  buckets: { start: number; total: number; byPriority: Partial<Record<Priority, number>> }[];
  topRules: NameCount[];
  /** By container id, labelled with the container name when known. */
  topContainers: NameCount[];
  topNamespaces: NameCount[];
  /** Names are `namespace/pod` (or just `pod` without a namespace). */
  topPods: NameCount[];
}

/** One pending delivery of an alert to a channel (a row of the outbox). */
export interface Delivery {
  alertId: string;
  channel: string;
  /** Failed attempts so far. */
  attempts: number;
  /** Epoch ms before which the delivery is not retried. */
  nextAt: number;
  lastError?: string;
  alert: Alert;
}

/** Kinds of recorded activity. */
export type ActivityKind = 'exec' | 'net' | 'file';

/** One recorded activity (what the audit recorder stores); see `src/audit/types.ts` for input. */
export interface Activity {
  /** Assigned by the store on insert. */
  id?: number;
  kind: ActivityKind;
  /** Epoch nanoseconds as a decimal string (exact), and ms for indexing. */
  tsNs: string;
  ts: number;
  pid: number;
  ppid?: number;
  comm?: string;
  exe?: string;
  cmdline?: string;
  user?: string;
  uid?: number;
  cwd?: string;
  /** Ancestors nearest first, e.g. `[{pid, comm}]`. */
  parentChain?: { pid: number; comm: string; exe?: string }[];
  containerId?: string;
  pod?: string;
  namespace?: string;
  /** Kind-specific detail: net {direction, proto, src, dst}, file {op, path, target}. */
  detail?: Record<string, unknown>;
}

/** Filter for `queryActivity`. */
export interface ActivityQuery {
  kinds?: ActivityKind[];
  since?: number;
  until?: number;
  containerId?: string;
  pod?: string;
  namespace?: string;
  pid?: number;
  /** Id cursor: only records with id greater than this (for export tails). */
  afterId?: number;
  newestFirst?: boolean;
  limit?: number;
}

/** Retention limits; rows of alerts with pending deliveries are never removed. */
export interface Retention {
  /** Remove alerts and activity older than this many ms before `now`. */
  maxAgeMs?: number;
  /** Remove oldest alerts and activity until their stored JSON totals at most this. */
  maxBytes?: number;
  now?: number;
}

/** What `prune` removed. */
export interface PruneResult {
  alerts: number;
  activity: number;
}

/** Storage for alerts, the outbox and the activity trail. All methods are async. */
export interface Store {
  /** `sqlite` or `postgres`. */
  readonly kind: string;
  /** Applies pending schema migrations; returns the schema version now in place. */
  migrate(): Promise<number>;
  /** Stores alerts and, in the same transaction, one pending delivery per channel each. */
  addAlerts(alerts: StoredAlert[], channels: string[]): Promise<void>;
  getAlert(id: string): Promise<StoredAlert | undefined>;
  /** Alerts matching a query (one page, without the cursor). */
  queryAlerts(q?: AlertQuery): Promise<StoredAlert[]>;
  /** One page of matching alerts in (ts, id) order with a cursor for the next. */
  pageAlerts(q?: AlertQuery): Promise<AlertPage>;
  /** Counts for the overview: by priority, per time bucket, top rules/containers/namespaces/pods. */
  alertStats(q?: AlertStatsQuery): Promise<AlertStats>;
  /** Deliveries for a channel due at `now`, oldest first, skipping ids in `exclude`. */
  dueDeliveries(channel: string, now: number, limit: number, exclude?: ReadonlySet<string>): Promise<Delivery[]>;
  /** Removes delivered rows. */
  ackDeliveries(channel: string, alertIds: string[]): Promise<void>;
  /** Records failed attempts: bumps attempts, sets the next try and the error. */
  retryDeliveries(channel: string, alertIds: string[], nextAt: number, error: string): Promise<void>;
  /** Pending deliveries, for one channel or all. */
  pendingCount(channel?: string): Promise<number>;
  /** Earliest `nextAt` among pending deliveries of a channel, if any. */
  nextDueAt(channel: string): Promise<number | undefined>;
  addActivity(records: Activity[]): Promise<void>;
  queryActivity(q?: ActivityQuery): Promise<Activity[]>;
  prune(r: Retention): Promise<PruneResult>;
  /** Removes everything (tests and `vigil db reset`). */
  clear(): Promise<void>;
  close(): Promise<void>;
}
