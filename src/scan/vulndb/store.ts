/**
 * The vulnerability database: one SQLite file (better-sqlite3) with advisories indexed by
 * ecosystem and package, vulnerability details, and the sources it was built from.
 * @module
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { VigilError } from '../../core/index.ts';
import type { Advisory, DataSource, ImportBatch, VulnRecord } from './types.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (id TEXT PRIMARY KEY, name TEXT NOT NULL, url TEXT, imported_at TEXT NOT NULL, advisories INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS advisories (
  source TEXT NOT NULL, ecosystem TEXT NOT NULL, package TEXT NOT NULL, vuln_id TEXT NOT NULL,
  fixed TEXT, affected TEXT, status TEXT NOT NULL, severity TEXT,
  PRIMARY KEY (ecosystem, package, vuln_id, source)
);
CREATE TABLE IF NOT EXISTS vulnerabilities (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
`;

/** Schema version written to `meta`; readers refuse other versions. */
export const SCHEMA_VERSION = '1';

/** Default database path: `$VIGIL_VULNDB`, else `.vigil/vulndb.sqlite` under the working directory. */
export function defaultDbPath(): string {
  return process.env.VIGIL_VULNDB ?? '.vigil/vulndb.sqlite';
}

/** An open vulnerability database. */
export class VulnDb {
  private readonly db: Database.Database;
  private readonly byPackage: Database.Statement;
  private readonly vulnById: Database.Statement;

  constructor(path: string, opts: { readonly?: boolean } = {}) {
    if (!opts.readonly) mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path, { readonly: !!opts.readonly, fileMustExist: !!opts.readonly });
    } catch (e) {
      throw new VigilError(
        'VULNDB_OPEN',
        `cannot open vulnerability database ${path}: ${(e as Error).message}`,
        { file: path },
      );
    }
    if (!opts.readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.exec(SCHEMA);
      this.db
        .prepare('INSERT OR IGNORE INTO meta VALUES (?, ?)')
        .run('schema_version', SCHEMA_VERSION);
    }
    const v = this.meta('schema_version');
    if (v !== SCHEMA_VERSION)
      throw new VigilError(
        'VULNDB_SCHEMA',
        `database schema ${v ?? 'missing'}, expected ${SCHEMA_VERSION}`,
        { file: path },
      );
    this.byPackage = this.db.prepare(
      'SELECT * FROM advisories WHERE ecosystem = ? AND package = ?',
    );
    this.vulnById = this.db.prepare('SELECT doc FROM vulnerabilities WHERE id = ?');
  }

  /** A `meta` value. */
  meta(key: string): string | undefined {
    try {
      return (
        this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
          { value: string } | undefined
      )?.value;
    } catch {
      return undefined;
    }
  }

  /** Writes a batch in one transaction, replacing rows with the same keys. */
  write(batch: ImportBatch): void {
    const adv = this.db.prepare(
      'INSERT OR REPLACE INTO advisories VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const vul = this.db.prepare(
      'INSERT INTO vulnerabilities VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc',
    );
    const getVul = this.vulnById;
    const src = this.db.prepare(
      'INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, (SELECT count(*) FROM advisories WHERE source = ?))',
    );
    this.db.transaction(() => {
      for (const a of batch.advisories) {
        adv.run(
          a.source,
          a.ecosystem,
          a.package,
          a.vulnId,
          a.fixed ?? null,
          a.affected ? JSON.stringify(a.affected) : null,
          a.status,
          a.severity ?? null,
        );
      }
      for (const v of batch.vulns) {
        // Merge with what other sources said about the same id (vendor severities add up).
        const old = getVul.get(v.id) as { doc: string } | undefined;
        const merged = old ? mergeVuln(JSON.parse(old.doc) as VulnRecord, v) : v;
        vul.run(v.id, JSON.stringify(merged));
      }
      src.run(
        batch.source.id,
        batch.source.name,
        batch.source.url ?? null,
        new Date().toISOString(),
        batch.source.id,
      );
      this.db
        .prepare('INSERT OR REPLACE INTO meta VALUES (?, ?)')
        .run('updated_at', new Date().toISOString());
    })();
  }

  /** Advisories for a package in an ecosystem. */
  advisories(ecosystem: string, pkg: string): Advisory[] {
    return (this.byPackage.all(ecosystem, pkg) as Record<string, string | null>[]).map((r) => {
      const a: Advisory = {
        source: r.source!,
        ecosystem: r.ecosystem!,
        package: r.package!,
        vulnId: r.vuln_id!,
        status: r.status!,
      };
      if (r.fixed) a.fixed = r.fixed;
      if (r.affected) a.affected = JSON.parse(r.affected);
      if (r.severity) a.severity = r.severity as Advisory['severity'];
      return a;
    });
  }

  /** Vulnerability details by id. */
  vuln(id: string): VulnRecord | undefined {
    const r = this.vulnById.get(id) as { doc: string } | undefined;
    return r ? (JSON.parse(r.doc) as VulnRecord) : undefined;
  }

  /** Sources with their advisory counts and import times. */
  sources(): (DataSource & { importedAt: string; advisories: number })[] {
    return (
      this.db.prepare('SELECT * FROM sources ORDER BY id').all() as Record<
        string,
        string | number | null
      >[]
    ).map((r) => ({
      id: String(r.id),
      name: String(r.name),
      url: r.url === null ? undefined : String(r.url),
      importedAt: String(r.imported_at),
      advisories: Number(r.advisories),
    }));
  }

  /** Counts of advisories and vulnerabilities. */
  counts(): { advisories: number; vulnerabilities: number } {
    const a = (this.db.prepare('SELECT count(*) c FROM advisories').get() as { c: number }).c;
    const v = (this.db.prepare('SELECT count(*) c FROM vulnerabilities').get() as { c: number }).c;
    return { advisories: a, vulnerabilities: v };
  }

  /** Closes the database. */
  close(): void {
    this.db.close();
  }
}

function mergeVuln(a: VulnRecord, b: VulnRecord): VulnRecord {
  const out: VulnRecord = {
    ...a,
    ...Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)),
  } as VulnRecord;
  if (a.vendorSeverity || b.vendorSeverity)
    out.vendorSeverity = { ...a.vendorSeverity, ...b.vendorSeverity };
  if (a.cvss || b.cvss) out.cvss = { ...a.cvss, ...b.cvss };
  return out;
}
