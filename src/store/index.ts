/**
 * store: alerts, the delivery outbox and the activity trail in SQLite (default) or PostgreSQL.
 * No SQL leaves this room.
 * @module
 */
export type * from './types.ts';
export { openStore, DEFAULT_STORE_URL, redact } from './open.ts';
export { SqliteStore, type SqliteOptions } from './sqlite/sqlite-store.ts';
export { PostgresStore } from './postgres/postgres-store.ts';
export { newId, alertTimeMs } from './ids.ts';
export { SCHEMA_VERSION } from './schema.ts';
export { scheduleRetention } from './retention.ts';
export { parseJsonExact, stringifyExact } from './json.ts';
export { MAX_LIMIT as MAX_ALERT_LIMIT, encodeCursor, decodeCursor } from './alert-query.ts';
export {
  openTempStore, openTempPostgres, testPostgresDown, sampleAlert, TempSqliteStore, TempPostgresStore, TEST_PG_URL,
} from './testing.ts';
