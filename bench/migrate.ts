/**
 * The summary-table migrations (4: counts per minute/hour/day; 5: priority on the container,
 * namespace and pod counts) on a store holding --n alerts (default 1 million): the store is
 * filled once (reused with --db), then rewound to schema 3 and migrated again, --rounds times.
 * Prints each migration run's time. With --pg URL the same on PostgreSQL, in --schema (default
 * vigil_bench_migrate, created when missing, reused when filled, dropped at the end unless --keep).
 *
 *   node --import tsx bench/migrate.ts [--n 1000000] [--rounds 3] [--db FILE] [--pg URL [--schema S]] [--keep]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { PostgresStore, SqliteStore, type Store } from '../src/store/index.ts';
import { fillBenchAlerts } from './alert-gen.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '3' },
    db: { type: 'string' },
    pg: { type: 'string' },
    schema: { type: 'string', default: 'vigil_bench_migrate' },
    keep: { type: 'boolean', default: false },
  },
});

/** Tables created by migrations after 3 (dropped to rewind), and the empty tables of 3. */
const LATER_TABLES = ['alert_counts_priority', 'alert_counts_rule', 'alert_counts_container', 'alert_counts_namespace', 'alert_counts_pod'];
const V3_TABLES = [
  `CREATE TABLE alert_sum_minute (t BIGINT NOT NULL, priority INTEGER NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (t, priority))`,
  `CREATE TABLE alert_sum_rule (t BIGINT NOT NULL, priority INTEGER NOT NULL, source TEXT NOT NULL, rule TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (t, priority, source, rule))`,
  `CREATE TABLE alert_sum_container (t BIGINT NOT NULL, container_id TEXT NOT NULL, container_name TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (t, container_id, container_name))`,
  `CREATE TABLE alert_sum_namespace (t BIGINT NOT NULL, namespace TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (t, namespace))`,
  `CREATE TABLE alert_sum_pod (t BIGINT NOT NULL, namespace TEXT NOT NULL, pod TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (t, namespace, pod))`,
];
const REWIND = [...LATER_TABLES.map((t) => `DROP TABLE IF EXISTS ${t}`), 'DELETE FROM vigil_schema WHERE version > 3', ...V3_TABLES];

async function rounds(store: Store, rewind: () => Promise<void>, label: string): Promise<void> {
  const n = Number(values.n);
  await fillBenchAlerts(store, n);
  const total = (await store.alertStats({})).total;
  for (let r = 0; r < Number(values.rounds); r++) {
    await rewind();
    const t = performance.now();
    const v = await store.migrate();
    const ms = performance.now() - t;
    const after = (await store.alertStats({})).total;
    console.log(`${label}: migration 3 -> ${v} on ${total} alerts: ${(ms / 1000).toFixed(2)} s (summary total ${after})`);
  }
}

async function main(): Promise<void> {
  if (values.pg) {
    const schema = values.schema!;
    const admin = async (text: string) => {
      const c = new pg.Client({ connectionString: values.pg });
      await c.connect();
      await c.query(text).finally(() => c.end());
    };
    await admin(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    const sep = values.pg.includes('?') ? '&' : '?';
    const store = new PostgresStore(`${values.pg}${sep}options=${encodeURIComponent(`-c search_path=${schema},public`)}`);
    try {
      await store.migrate();
      // the bench reaches past the Store interface to rewind the schema, as bench/api does
      const raw = store as unknown as { batch(qs: { text: string; params: unknown[] }[]): Promise<number[]> };
      await rounds(store, async () => void (await raw.batch(REWIND.map((text) => ({ text, params: [] })))), 'postgres');
    } finally {
      await store.close();
      if (!values.keep) await admin(`DROP SCHEMA ${schema} CASCADE`);
    }
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-migrate-'));
  const store = new SqliteStore(values.db ?? join(dir, 'bench.db'));
  await store.migrate();
  try {
    await rounds(store, async () => store.db.transaction(() => REWIND.forEach((s) => store.db.exec(s)))(), 'sqlite');
  } finally {
    await store.close();
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
