/**
 * API tokens: random bearer tokens kept only as SHA-256 digests in `<data>/tokens.json`, each
 * with a scope (`admin`, `read`, `ingest`). The first start creates an
 * admin token and hands its text back once; it cannot be recovered from the file.
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VigilError } from '../core/index.ts';

/** What a token may do: `read` looks, `ingest` sends alerts and audit events, `admin` does all. */
export type Scope = 'admin' | 'read' | 'ingest';

/** A stored token (never the token text). */
export interface TokenRecord {
  id: string;
  scope: Scope;
  sha256: string;
  created: string;
  /** What the token is for (free text, optional). */
  name?: string;
}

const digest = (t: string): Buffer => createHash('sha256').update(t).digest();

/** Scopes a token can have. */
export const SCOPES: readonly Scope[] = ['admin', 'read', 'ingest'];

/** The token file of a data directory, with lookup and creation. */
export class TokenStore {
  private records: TokenRecord[] = [];
  private mtimeMs = -1;
  readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'tokens.json');
    this.reload();
  }

  /** Re-reads the file when it changed, so tokens created or revoked by another process apply at once. */
  private reload(): void {
    if (!existsSync(this.file)) return;
    const m = statSync(this.file).mtimeMs;
    if (m === this.mtimeMs) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (e) {
      throw new VigilError('TOKEN_FILE_BAD', `token file is not JSON: ${(e as Error).message}`, { file: this.file });
    }
    if (!Array.isArray(parsed) || !parsed.every((r) => r && typeof r.id === 'string' && typeof r.sha256 === 'string' && SCOPES.includes(r.scope)))
      throw new VigilError('TOKEN_FILE_BAD', 'token file must be a list of {id, scope, sha256, created}', { file: this.file, jsonPath: '$' });
    this.records = parsed as TokenRecord[];
    this.mtimeMs = m;
  }

  /** How many tokens exist. */
  get size(): number {
    this.reload();
    return this.records.length;
  }

  /** Creates a token, stores its digest and returns its text (the only time it is visible). */
  create(scope: Scope, name?: string): { id: string; token: string } {
    this.reload();
    const id = randomBytes(4).toString('hex');
    const token = `vgl_${id}_${randomBytes(24).toString('base64url')}`;
    this.records.push({ id, scope, sha256: digest(token).toString('hex'), created: new Date().toISOString(), ...(name ? { name } : {}) });
    this.save();
    return { id, token };
  }

  /** Ids, scopes, names and creation times (no digests). */
  list(): Omit<TokenRecord, 'sha256'>[] {
    this.reload();
    return this.records.map(({ id, scope, created, name }) => ({ id, scope, created, ...(name ? { name } : {}) }));
  }

  /** Removes a token by id; true when it existed. */
  revoke(id: string): boolean {
    this.reload();
    const n = this.records.length;
    this.records = this.records.filter((r) => r.id !== id);
    if (this.records.length !== n) this.save();
    return this.records.length !== n;
  }

  /** The record whose token this is, if any (constant-time digest comparison). */
  verify(token: string): TokenRecord | undefined {
    this.reload();
    const d = digest(token);
    let found: TokenRecord | undefined;
    for (const r of this.records) if (timingSafeEqual(d, Buffer.from(r.sha256, 'hex'))) found = r;
    return found;
  }

  private save(): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.records, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.file);
    this.mtimeMs = statSync(this.file).mtimeMs;
  }
}
