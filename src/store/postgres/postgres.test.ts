import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';
import { runStoreSuite } from '../common.case.ts';
import { PostgresStore } from './postgres-store.ts';

/** Default matches `.ci/services/postgres.sh`. */
const url = process.env.VIGIL_TEST_PG_URL ?? 'postgres://vigil:vigil@127.0.0.1:5433/vigil_test';
const schemas: string[] = [];

async function reachable(): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
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
const down = await reachable();
if (down) console.log(`# SKIP postgres store suite: ${down}`);

after(async () => {
  if (down || schemas.length === 0) return;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await c.end();
});

// each test gets its own schema so runs never see each other's rows
runStoreSuite('postgres', async () => {
  if (down) return down;
  const schema = `vigil_t_${randomBytes(5).toString('hex')}`;
  schemas.push(schema);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`CREATE SCHEMA ${schema}`);
  await c.end();
  const sep = url.includes('?') ? '&' : '?';
  const s = new PostgresStore(`${url}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`);
  await s.migrate();
  return s;
});
