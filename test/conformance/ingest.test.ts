// Falco's own JSON alert lines (legacy regression outputs) go through the ingest endpoint into
// the store unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { needConformance } from './helpers.ts';
import { Outbox, startIngestServer } from '../../src/outputs/index.ts';
import { parseJsonExact, SqliteStore, stringifyExact } from '../../src/store/index.ts';

const { path, skip } = needConformance('falco', 'legacy', 'falco-0.34.1', 'output_files');

test('Falco JSON output lines are accepted and stored unchanged', { skip }, async () => {
  const lines = readdirSync(path).filter((f) => f.endsWith('.json'))
    .flatMap((f) => readFileSync(join(path, f), 'utf8').split('\n').filter((l) => l.trim()));
  assert.ok(lines.length > 0);
  const store = new SqliteStore(':memory:');
  await store.migrate();
  const outbox = new Outbox(store, []);
  const srv = await startIngestServer((a) => outbox.submit(a), { port: 0 });
  for (const l of lines) {
    const r = await fetch(`http://127.0.0.1:${srv.port}/`, { method: 'POST', body: l, headers: { 'Content-Type': 'application/json' } });
    assert.equal(r.status, 200, await r.text());
  }
  const stored = await store.queryAlerts();
  assert.equal(stored.length, lines.length);
  // exact: Falco's int64 nanosecond fields must not be rounded on the way in or out
  const key = (o: object): string => stringifyExact(Object.fromEntries(Object.entries(o).sort()));
  assert.deepEqual(stored.map((s) => key(s.alert)).sort(), lines.map((l) => key(parseJsonExact(l) as object)).sort());
  assert.ok(stored.some((s) => /"evt\.time\.iso8601":\d{19}[,}]/.test(stringifyExact(s.alert))));
  console.log(`# falco output lines ingested: ${stored.length}/${lines.length}`);
  await srv.close();
  await store.close();
});
