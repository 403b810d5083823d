import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { runStoreSuite } from '../common.case.ts';
import { SqliteStore } from './sqlite-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'vigil-sqlite-'));
let n = 0;
after(() => rmSync(dir, { recursive: true, force: true }));

runStoreSuite('sqlite', async () => {
  const s = new SqliteStore(join(dir, `t${n++}.db`));
  await s.migrate();
  return s;
});
