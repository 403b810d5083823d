/**
 * The `Store` contract: alerts, the delivery outbox, activity records and retention. Both
 * implementations (`sqlite/`, `postgres/`) pass the one shared suite in `common.case.ts`.
 * @module
 */
import type { Alert, Priority } from '../core/index.ts';

/** An alert as kept: Falco's JSON plus the id used for de-duplication downstream. */
export interface StoredAlert {
  /** Time-ordered unique id (see `newId`). */
  id: string;
  /** Epoch milliseconds of `alert.time`. */
  ts: number;
  alert: Alert;
}

/** Filter for `queryAlerts`; every field narrows, all optional. */
export interface AlertQuery {
  since?: number;
  until?: number;
  rule?: string;
  /** Keep alerts at least this severe. */
  minPriority?: Priority;
  source?: string;
  containerId?: string;
  pid?: number;
  /** Newest first when true (default false: oldest first). */
  newestFirst?: boolean;
  limit?: number;
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
  queryAlerts(q?: AlertQuery): Promise<StoredAlert[]>;
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
