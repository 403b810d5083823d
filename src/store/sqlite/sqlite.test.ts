import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runStoreSuite } from '../common.case.ts';
import { openTempStore, sampleAlert } from '../testing.ts';
import { alertPageSql } from '../alert-query.ts';
import { newId } from '../ids.ts';

runStoreSuite('sqlite', openTempStore);

test('sqlite: text, pod and keyset queries are answered from indexes, not table scans', async () => {
  const s = await openTempStore();
  try {
    const match = (s as unknown as { textMatch: Parameters<typeof alertPageSql>[1] }).textMatch;
    const plan = (q: Parameters<typeof alertPageSql>[0]): string => {
      const f = alertPageSql(q, match);
      return (s.db.prepare(`EXPLAIN QUERY PLAN SELECT id, ts, body FROM alerts ${f.text}`).all(...f.params) as { detail: string }[])
        .map((r) => r.detail).join('\n');
    };
    assert.match(plan({ text: 'spawned', limit: 50 }), /VIRTUAL TABLE INDEX .*alerts_fts|alerts_fts VIRTUAL TABLE/);
    assert.match(plan({ namespace: 'prod', pod: 'web-0', limit: 50 }), /USING INDEX alerts_ns_pod/);
    const page = await s.pageAlerts({ limit: 1 });
    assert.equal(page.next, undefined);
    await s.addAlerts([0, 1].map((i) => ({ id: newId(), ts: i, alert: sampleAlert(i) })), []);
    const first = await s.pageAlerts({ limit: 1 });
    const p = plan({ cursor: first.next, limit: 50 });
    assert.match(p, /alerts_ts_id/);
    assert.doesNotMatch(p, /TEMP B-TREE/);
  } finally {
    await s.close();
  }
});

test('sqlite: migration 2 fills search columns and the text index for alerts stored before it', async () => {
  const { MIGRATIONS } = await import('../schema.ts');
  const { TempSqliteStore } = await import('../testing.ts');
  const s = new TempSqliteStore();
  try {
    // a database as version 1 left it, with one alert
    s.db.exec('CREATE TABLE vigil_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    for (const st of MIGRATIONS[0].statements) s.db.exec(st.replace('{serial}', 'INTEGER PRIMARY KEY AUTOINCREMENT'));
    s.db.prepare('INSERT INTO vigil_schema VALUES (1, ?, 0)').run('v1');
    const a = { id: newId(), ts: 5, alert: sampleAlert(1, { output: 'old alert Spawned here' }, { 'k8s.pod.name': 'web-0', 'k8s.ns.name': 'prod', 'container.id': 'c1', 'container.name': 'nginx' }) };
    s.db.prepare('INSERT INTO alerts (id, ts, rule, priority, source, hostname, container_id, pid, body, size) VALUES (?, ?, ?, 4, ?, ?, ?, NULL, ?, 1)')
      .run(a.id, a.ts, a.alert.rule, a.alert.source, a.alert.hostname, 'c1', JSON.stringify(a.alert));
    assert.equal(await s.migrate(), 2);
    assert.deepEqual((await s.queryAlerts({ namespace: 'prod', pod: 'web-0', container: 'nginx', text: 'SPAWNED' })).map((x) => x.id), [a.id]);
  } finally {
    await s.close();
  }
});
