import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore, newId, scheduleRetention, type PruneResult } from './index.ts';
import { sampleAlert } from './testing.ts';

test('scheduled retention prunes on start and reports what it removed', async () => {
  const s = new SqliteStore(':memory:');
  await s.migrate();
  await s.addAlerts([{ id: newId(), ts: 1000, alert: sampleAlert(1) }, { id: newId(), ts: Date.now(), alert: sampleAlert(2) }], []);
  const got = await new Promise<PruneResult>((resolve) => {
    const stop = scheduleRetention(s, { maxAgeMs: 86_400_000 }, 60_000, { onPrune: (p) => (stop(), resolve(p)) });
  });
  assert.deepEqual(got, { alerts: 1, activity: 0 });
  assert.equal((await s.queryAlerts()).length, 1);
  await s.close();
});
