/**
 * Helpers for tests in any room: a throw-away migrated store (SQLite in a temporary folder, or
 * PostgreSQL in a schema of its own) and a Falco-shaped sample alert. Exported by the door so
 * no test reaches into the store room's files.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pgDriver } from './drivers.ts';
import type { Alert } from '../core/index.ts';
import { PostgresStore } from './postgres/postgres-store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';

/** The PostgreSQL that `.ci/services/postgres.sh` starts; `VIGIL_TEST_PG_URL` overrides it. */
export const TEST_PG_URL = process.env.VIGIL_TEST_PG_URL ?? 'postgres://vigil:vigil@127.0.0.1:5433/vigil_test';

/** Builds a Falco-shaped alert for tests; `i` varies the text, time and fields. */
export function sampleAlert(i: number, over: Partial<Alert> = {}, fields: Alert['output_fields'] = {}): Alert {
  return {
    hostname: 'node-1',
    output: `2026-01-01T00:00:00.000000000+0000: Warning shell spawned #${i} ✓`,
    output_fields: { 'evt.time': 1767225600000000000 + i, 'proc.name': 'bash', 'proc.cmdline': `bash -c "echo ${i}"`, ...fields },
    priority: 'Warning',
    rule: 'Terminal shell in container',
    source: 'syscall',
    tags: ['container', 'mitre_execution', 'shell'],
    time: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.123456789Z`,
    ...over,
  };
}

/** A SQLite store in its own temporary folder, removed on `close()`. */
export class TempSqliteStore extends SqliteStore {
  /** The folder holding the database file (and anything a test puts next to it). */
  readonly dir: string;
  constructor(dir = mkdtempSync(join(tmpdir(), 'vigil-store-'))) {
    super(join(dir, 'vigil.db'));
    this.dir = dir;
  }
  override async close(): Promise<void> {
    await super.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Opens an empty, migrated SQLite store in a temporary folder; `close()` deletes it. */
export async function openTempStore(): Promise<TempSqliteStore> {
  const s = new TempSqliteStore();
  await s.migrate();
  return s;
}

/** Why the test PostgreSQL cannot be used, or undefined when it answers. */
export async function testPostgresDown(url = TEST_PG_URL): Promise<string | undefined> {
  const c = new (pgDriver().Client)({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('select 1');
    return undefined;
  } catch (e) {
    return `PostgreSQL unreachable at ${url.replace(/:[^:@/]*@/, ':***@')} (${(e as Error).message}); run .ci/services/postgres.sh`;
  } finally {
    await c.end().catch(() => {});
  }
}

/** A PostgreSQL store in a fresh schema of its own, dropped on `close()`. */
export class TempPostgresStore extends PostgresStore {
  constructor(private readonly admin: string, readonly schema: string) {
    const sep = admin.includes('?') ? '&' : '?';
    // public stays on the path so an extension installed there (pg_trgm) is usable
    super(`${admin}${sep}options=${encodeURIComponent(`-c search_path=${schema},public`)}`);
  }
  override async close(): Promise<void> {
    await super.close();
    const c = new (pgDriver().Client)({ connectionString: this.admin });
    await c.connect();
    try {
      await c.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
    } finally {
      await c.end();
    }
  }
}

/** Opens an empty, migrated PostgreSQL store in a new schema of the test database. */
export async function openTempPostgres(url = TEST_PG_URL): Promise<TempPostgresStore> {
  const schema = `vigil_t_${randomBytes(5).toString('hex')}`;
  const c = new (pgDriver().Client)({ connectionString: url });
  await c.connect();
  try {
    // installed once in public, so a test schema never owns (and drops) the extension
    await c.query('CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public').catch(() => {});
    await c.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await c.end();
  }
  const s = new TempPostgresStore(url, schema);
  await s.migrate();
  return s;
}
