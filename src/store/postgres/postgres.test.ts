import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runStoreSuite } from '../common.case.ts';
import { openTempPostgres, testPostgresDown } from '../testing.ts';

const down = await testPostgresDown();
if (down) console.log(`# SKIP postgres store suite: ${down}`);

// each test gets its own schema so runs never see each other's rows
runStoreSuite('postgres', async () => down ?? (await openTempPostgres()));

test('postgres: text search is backed by the pg_trgm index', { skip: down }, async () => {
  const s = await openTempPostgres();
  try {
    assert.equal(s.trigramIndex, true, 'pg_trgm available (postgresql contrib modules installed)');
  } finally {
    await s.close();
  }
});
