/**
 * Opens a store from a URL: `postgres://` / `postgresql://` for PostgreSQL, anything else is a
 * SQLite file path (`sqlite:` prefix optional, `:memory:` allowed). Migrations run on open.
 * @module
 */
import { VigilError } from '../core/index.ts';
import { PostgresStore } from './postgres/postgres-store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './types.ts';

/** The default database of `vigil up` and the CLI. */
export const DEFAULT_STORE_URL = '.vigil/vigil.db';

/**
 * Opens and migrates the store named by `url`. Only the driver of the backend the URL names is
 * loaded, and only now (see drivers.ts): the store classes themselves are light.
 */
export async function openStore(url: string = DEFAULT_STORE_URL): Promise<Store> {
  const store: Store = /^postgres(ql)?:\/\//.test(url)
    ? new PostgresStore(url)
    : new SqliteStore(url.replace(/^sqlite:(\/\/)?/, ''));
  try {
    await store.migrate();
  } catch (e) {
    await store.close().catch(() => {});
    throw new VigilError('STORE_OPEN_FAILED', `cannot open store ${redact(url)}: ${(e as Error).message}`, {}, { cause: e });
  }
  return store;
}

/** The URL with any password replaced, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
