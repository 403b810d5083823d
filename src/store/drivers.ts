/**
 * The database drivers, loaded on first use instead of at import: every command imports the
 * store's door, and loading both `pg` and `better-sqlite3` (a native addon) cost each start-up
 * time and memory even for `--help`. `require` keeps the load synchronous, so the stores'
 * constructors stay synchronous; both drivers are CommonJS packages.
 * @module
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type Pg from 'pg';

const load = createRequire(import.meta.url);

/** better-sqlite3's `Database` constructor, loaded on the first call. */
export function sqliteDriver(): typeof BetterSqlite3 {
  return load('better-sqlite3') as typeof BetterSqlite3;
}

/** The `pg` module, loaded on the first call. */
export function pgDriver(): typeof Pg {
  return load('pg') as typeof Pg;
}
