/**
 * Schema migrations, numbered and applied in order inside one transaction each. The SQL is
 * shared; `{serial}` is the only dialect difference (an auto-increment integer key).
 * @module
 */

/** One migration step. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

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
];

/** The newest schema version this build knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** The table that records applied versions. */
export const VERSION_TABLE = `CREATE TABLE IF NOT EXISTS vigil_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`;
