/**
 * The store for larger installations: PostgreSQL through `pg`, one pool, multi-row inserts.
 * @module
 */
import pg from 'pg';
import { SqlStore } from '../sql-store.ts';
import type { Sql } from '../sql.ts';

/** Turns `?` placeholders into `$1, $2, ...` (our SQL has no `?` inside literals). */
function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/** A `Store` in a PostgreSQL database given by URL. */
export class PostgresStore extends SqlStore {
  readonly kind = 'postgres';
  protected readonly serial = 'BIGSERIAL PRIMARY KEY';
  private readonly pool: pg.Pool;

  constructor(readonly url: string, opts: { max?: number; connectTimeoutMs?: number } = {}) {
    super();
    this.pool = new pg.Pool({ connectionString: url, max: opts.max ?? 4, connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000 });
    // an idle client's network error must not crash the process; the next query reports it
    this.pool.on('error', () => {});
  }

  protected async all(q: Sql): Promise<Record<string, unknown>[]> {
    const r = await this.pool.query(numbered(q.text), q.params);
    return r.rows as Record<string, unknown>[];
  }

  protected async batch(qs: Sql[]): Promise<number[]> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out: number[] = [];
      for (const q of qs) out.push((await c.query(numbered(q.text), q.params)).rowCount ?? 0);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
