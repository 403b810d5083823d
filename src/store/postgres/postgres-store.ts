/**
 * The store for larger installations: PostgreSQL through `pg`, one pool, multi-row inserts.
 * @module
 */
import type pg from 'pg';
import { pgDriver } from '../drivers.ts';
import { SqlStore } from '../sql-store.ts';
import type { Sql } from '../sql.ts';
import type { TextMatch } from '../alert-query.ts';

/** The output expression the trigram index covers; queries must spell it the same way. */
const OUTPUT = "(body::json ->> 'output')";

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
  /** Whether the pg_trgm index backs text search (false: the same ILIKE, scanned). */
  trigramIndex = false;

  protected readonly outputSql = OUTPUT;

  protected readonly textMatch: TextMatch = (text) => ({
    text: `${OUTPUT} ILIKE ?`,
    params: [`%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`],
  });

  constructor(readonly url: string, opts: { max?: number; connectTimeoutMs?: number } = {}) {
    super();
    this.pool = new (pgDriver().Pool)({ connectionString: url, max: opts.max ?? 4, connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000 });
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

  override async migrate(): Promise<number> {
    const v = await super.migrate();
    this.trigramIndex = await this.ensureTrigramIndex();
    return v;
  }

  // pg_trgm is a trusted extension (a database owner may create it), but it may be missing
  // or forbidden; search then stays correct and only loses its index
  private async ensureTrigramIndex(): Promise<boolean> {
    await this.pool.query('CREATE EXTENSION IF NOT EXISTS pg_trgm').catch(() => {});
    const r = await this.pool.query(`SELECT n.nspname FROM pg_opclass c JOIN pg_namespace n ON n.oid = c.opcnamespace
      JOIN pg_am a ON a.oid = c.opcmethod WHERE c.opcname = 'gin_trgm_ops' AND a.amname = 'gin' LIMIT 1`);
    const schema = r.rows[0]?.nspname as string | undefined;
    if (!schema) return false;
    try {
      await this.pool.query(`CREATE INDEX IF NOT EXISTS alerts_output_trgm ON alerts USING gin (${OUTPUT} "${schema.replace(/"/g, '""')}".gin_trgm_ops)`);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
