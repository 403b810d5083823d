/**
 * The default store: SQLite through better-sqlite3 in WAL mode. `synchronous=NORMAL` under WAL
 * keeps every committed transaction across a process crash or kill -9 (only a power loss can
 * drop the last commits), which is the outbox's promise.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { sqliteDriver } from '../drivers.ts';
import { SqlStore } from '../sql-store.ts';
import type { Sql } from '../sql.ts';
import type { TextMatch } from '../alert-query.ts';

/** Options for `SqliteStore`. */
export interface SqliteOptions {
  /** `synchronous` pragma; FULL also survives power loss at a cost. Default NORMAL. */
  synchronous?: 'OFF' | 'NORMAL' | 'FULL';
}

/** A `Store` in one SQLite file (or `:memory:`). */
export class SqliteStore extends SqlStore {
  readonly kind = 'sqlite';
  protected readonly serial = 'INTEGER PRIMARY KEY AUTOINCREMENT';
  /** The underlying connection, for benchmarks that compare against raw inserts. */
  readonly db: Database.Database;
  private readonly cache = new Map<string, Database.Statement>();

  protected readonly outputSql = "json_extract(body, '$.output')";

  // 3+ characters: a phrase of trigrams in the FTS5 index, which is an exact substring match;
  // shorter text has no trigram, so those rows are scanned (narrowed by the other filters)
  protected readonly textMatch: TextMatch = (text) =>
    [...text].length >= 3
      ? { text: 'rowid IN (SELECT rowid FROM alerts_fts WHERE alerts_fts MATCH ?)', params: [`"${text.replace(/"/g, '""')}"`] }
      : { text: "instr(lower(json_extract(body, '$.output')), lower(?)) > 0", params: [text] };

  constructor(readonly path: string, opts: SqliteOptions = {}) {
    super();
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const Driver = sqliteDriver();
    this.db = new Driver(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.synchronous ?? 'NORMAL'}`);
    this.db.pragma('busy_timeout = 5000');
  }

  private prepare(text: string): Database.Statement {
    let s = this.cache.get(text);
    if (!s) {
      s = this.db.prepare(text);
      this.cache.set(text, s);
    }
    return s;
  }

  // one prepared single-row statement reused is faster in SQLite than a big VALUES list
  protected override insertRows(table: string, columns: string, rows: unknown[][]): Sql[] {
    const width = columns.split(',').length;
    const text = `INSERT INTO ${table} (${columns}) VALUES (${new Array(width).fill('?').join(', ')})`;
    return rows.map((params) => ({ text, params }));
  }

  protected async all(q: Sql): Promise<Record<string, unknown>[]> {
    return this.prepare(q.text).all(...q.params) as Record<string, unknown>[];
  }

  protected async batch(qs: Sql[]): Promise<number[]> {
    const run = this.db.transaction((list: Sql[]) => list.map((q) => {
      // DDL cannot be cached across schema changes, so it is prepared fresh
      const st = /^\s*(CREATE|ALTER|DROP)/i.test(q.text) ? this.db.prepare(q.text) : this.prepare(q.text);
      return st.run(...q.params).changes;
    }));
    return run(qs);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
