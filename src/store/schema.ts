import { summaryTablesDdl } from './alert-summary.ts';

/**
 * Schema migrations, numbered and applied in order inside one transaction each. The SQL is
 * shared; `{serial}` is the only dialect difference (an auto-increment integer key).
 * @module
 */

/** One migration step: shared statements, then the dialect's own. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
  sqlite?: string[];
  postgres?: string[];
  /**
   * Creates or reshapes summary tables: after the pending migrations, in their transaction,
   * the summary tables are refilled from the alerts (`summaryRebuild`), once however many
   * pending migrations ask.
   */
  summaries?: boolean;
}

/** The summary tables of migration 4 (key columns by table), as shipped. */
const V4_SUMMARIES: Record<string, string[]> = {
  alert_counts_priority: ['priority'],
  alert_counts_rule: ['priority', 'source', 'rule'],
  alert_counts_container: ['container_id', 'container_name'],
  alert_counts_namespace: ['namespace'],
  alert_counts_pod: ['namespace', 'pod'],
};

/** The tables migration 5 gives a priority key. */
const V5_SUMMARIES: Record<string, string[]> = {
  alert_counts_container: ['priority', 'container_id', 'container_name'],
  alert_counts_namespace: ['priority', 'namespace'],
  alert_counts_pod: ['priority', 'namespace', 'pod'],
};

/** Every migration, oldest first. Append only; never edit one that has shipped. */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'alerts, outbox, activity',
    statements: [
      `CREATE TABLE alerts (
        id TEXT PRIMARY KEY, ts BIGINT NOT NULL, rule TEXT NOT NULL, priority INTEGER NOT NULL,
        source TEXT NOT NULL, hostname TEXT NOT NULL, container_id TEXT, pid BIGINT,
        body TEXT NOT NULL, size INTEGER NOT NULL)`,
      `CREATE INDEX alerts_ts ON alerts (ts)`,
      `CREATE INDEX alerts_container ON alerts (container_id, ts)`,
      `CREATE INDEX alerts_rule ON alerts (rule, ts)`,
      `CREATE TABLE deliveries (
        alert_id TEXT NOT NULL, channel TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
        next_at BIGINT NOT NULL, last_error TEXT, PRIMARY KEY (channel, alert_id))`,
      `CREATE INDEX deliveries_due ON deliveries (channel, next_at, alert_id)`,
      `CREATE INDEX deliveries_alert ON deliveries (alert_id)`,
      `CREATE TABLE activity (
        id {serial}, kind TEXT NOT NULL, ts BIGINT NOT NULL, ts_ns TEXT NOT NULL,
        pid BIGINT NOT NULL, ppid BIGINT, comm TEXT, exe TEXT, cmdline TEXT, username TEXT,
        uid BIGINT, cwd TEXT, parent_chain TEXT, container_id TEXT, pod TEXT, namespace TEXT,
        detail TEXT, size INTEGER NOT NULL)`,
      `CREATE INDEX activity_ts ON activity (ts)`,
      `CREATE INDEX activity_container ON activity (container_id, ts)`,
      `CREATE INDEX activity_pod ON activity (namespace, pod, ts)`,
      `CREATE INDEX activity_pid ON activity (pid, ts)`,
    ],
  },
  {
    version: 2,
    name: 'alert search: pod, namespace, container name columns, keyset index, full-text index',
    statements: [
      `ALTER TABLE alerts ADD COLUMN container_name TEXT`,
      `ALTER TABLE alerts ADD COLUMN pod TEXT`,
      `ALTER TABLE alerts ADD COLUMN namespace TEXT`,
      // (ts, id) is the keyset order of every alert page
      `DROP INDEX alerts_ts`,
      `CREATE INDEX alerts_ts_id ON alerts (ts, id)`,
      `CREATE INDEX alerts_priority ON alerts (priority, ts)`,
      `CREATE INDEX alerts_ns_pod ON alerts (namespace, pod, ts)`,
      `CREATE INDEX alerts_container_name ON alerts (container_name, ts)`,
    ],
    sqlite: [
      ...backfill((k) => `json_extract(body, '$.output_fields."${k}"')`),
      // trigram FTS answers any substring of 3+ characters from the index; contentless
      // (the text is already in body) with delete support so retention can remove rows
      `CREATE VIRTUAL TABLE alerts_fts USING fts5(output, content='', contentless_delete=1, tokenize='trigram')`,
      `INSERT INTO alerts_fts (rowid, output) SELECT rowid, json_extract(body, '$.output') FROM alerts`,
      `CREATE TRIGGER alerts_fts_insert AFTER INSERT ON alerts BEGIN
        INSERT INTO alerts_fts (rowid, output) VALUES (new.rowid, json_extract(new.body, '$.output')); END`,
      `CREATE TRIGGER alerts_fts_delete AFTER DELETE ON alerts BEGIN
        DELETE FROM alerts_fts WHERE rowid = old.rowid; END`,
    ],
    postgres: backfill((k) => `(body::json -> 'output_fields' ->> '${k}')`),
  },
  {
    // superseded by 4 (which drops these): kept so databases that applied it stay in step
    version: 3,
    name: 'alert summary tables for the overview (per minute by priority; per hour by rule, container, namespace, pod)',
    statements: [
      `CREATE TABLE alert_sum_minute (t BIGINT NOT NULL, priority INTEGER NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (t, priority))`,
      `CREATE TABLE alert_sum_rule (t BIGINT NOT NULL, priority INTEGER NOT NULL, source TEXT NOT NULL, rule TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (t, priority, source, rule))`,
      `CREATE TABLE alert_sum_container (t BIGINT NOT NULL, container_id TEXT NOT NULL, container_name TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (t, container_id, container_name))`,
      `CREATE TABLE alert_sum_namespace (t BIGINT NOT NULL, namespace TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (t, namespace))`,
      `CREATE TABLE alert_sum_pod (t BIGINT NOT NULL, namespace TEXT NOT NULL, pod TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (t, namespace, pod))`,
    ],
  },
  {
    version: 4,
    name: 'alert counts per minute, hour and day for the overview, replacing the hourly tables of 3',
    statements: [
      ...['alert_sum_minute', 'alert_sum_rule', 'alert_sum_container', 'alert_sum_namespace', 'alert_sum_pod'].map((t) => `DROP TABLE ${t}`),
    ],
    sqlite: summaryTablesDdl('sqlite', V4_SUMMARIES),
    postgres: summaryTablesDdl('postgres', V4_SUMMARIES),
    // the alerts already stored, counted once; from here on they change with the alerts
    summaries: true,
  },
  {
    version: 5,
    name: 'priority in the container, namespace and pod counts (a priority-filtered overview lists them from the counts)',
    statements: Object.keys(V5_SUMMARIES).map((t) => `DROP TABLE ${t}`),
    sqlite: summaryTablesDdl('sqlite', V5_SUMMARIES),
    postgres: summaryTablesDdl('postgres', V5_SUMMARIES),
    summaries: true,
  },
];

/**
 * Fills the search columns of rows written before migration 2, with the same precedence as
 * `alertRow` (see `sql.ts`); `get` renders the dialect's JSON field access for a key.
 */
function backfill(get: (key: string) => string): string[] {
  return [
    `UPDATE alerts SET container_name = ${get('container.name')},
      namespace = COALESCE(${get('k8s.ns.name')}, ${get('ka.target.namespace')}),
      pod = COALESCE(${get('k8s.pod.name')}, CASE WHEN ${get('ka.target.resource')} = 'pods' THEN ${get('ka.target.name')} END)`,
  ];
}

/** The newest schema version this build knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** The table that records applied versions. */
export const VERSION_TABLE = `CREATE TABLE IF NOT EXISTS vigil_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`;
