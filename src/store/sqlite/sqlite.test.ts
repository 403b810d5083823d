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
    assert.equal(await s.migrate(), MIGRATIONS.at(-1)!.version);
    assert.deepEqual((await s.queryAlerts({ namespace: 'prod', pod: 'web-0', container: 'nginx', text: 'SPAWNED' })).map((x) => x.id), [a.id]);
  } finally {
    await s.close();
  }
});

for (const from of [2, 4]) {
  test(`sqlite: migrations after ${from} count the alerts stored before them into the summary tables, priority included`, async () => {
    const { MIGRATIONS } = await import('../schema.ts');
    const { TempSqliteStore } = await import('../testing.ts');
    const s = new TempSqliteStore();
    try {
      // a database as version `from` left it (its summary tables, if any, empty), with alerts over three hours
      s.db.exec('CREATE TABLE vigil_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      for (const m of MIGRATIONS.slice(0, from)) {
        for (const st of [...m.statements, ...(m.sqlite ?? [])]) s.db.exec(st.replace('{serial}', 'INTEGER PRIMARY KEY AUTOINCREMENT'));
        s.db.prepare('INSERT INTO vigil_schema VALUES (?, ?, 0)').run(m.version, m.name);
      }
      const { alertRow, ALERT_COLUMNS } = await import('../sql.ts');
      const t0 = Date.parse('2026-02-01T00:00:00Z');
      const ins = s.db.prepare(`INSERT INTO alerts (${ALERT_COLUMNS}) VALUES (${ALERT_COLUMNS.split(',').map(() => '?').join(', ')})`);
      for (let i = 0; i < 40; i++) {
        const a = { id: newId(), ts: t0 + i * 290_000, alert: sampleAlert(i, { priority: i % 3 ? 'Warning' : 'Critical' }, { 'container.id': `c${i % 4}`, 'k8s.pod.name': `p${i % 2}`, 'k8s.ns.name': 'prod' }) };
        ins.run(...alertRow(a));
      }
      assert.equal(await s.migrate(), MIGRATIONS.at(-1)!.version);
      const q = { since: t0 + 1234, until: t0 + 3 * 3_600_000, bucketMs: 3_600_000 };
      const st = await s.alertStats(q);
      assert.equal(st.total, 37); // i = 1..37: after t0 + 1234 and before three hours
      assert.deepEqual(st, await s.alertStats({ ...q, fromRows: true }));
      const crit = await s.alertStats({ ...q, priority: 'Critical' });
      assert.equal(crit.total, 12); // i = 3, 6, ..., 36
      assert.deepEqual(crit.topContainers.map((c) => [c.name, c.count]), [['c0', 3], ['c1', 3], ['c2', 3], ['c3', 3]]);
      assert.deepEqual(crit, await s.alertStats({ ...q, priority: 'Critical', fromRows: true }));
    } finally {
      await s.close();
    }
  });
}

test('sqlite: an hour-aligned overview reads only the summary tables, an unaligned one the edges too', async () => {
  const { summaryStatsSql } = await import('../alert-summary.ts');
  const s = await openTempStore();
  try {
    const match = (s as unknown as { textMatch: Parameters<typeof summaryStatsSql>[1] }).textMatch;
    const h = Date.parse('2026-02-01T00:00:00Z');
    const aligned = summaryStatsSql({ since: h, until: h + 24 * 3_600_000, bucketMs: 1_800_000 }, match);
    for (const [k, q] of Object.entries(aligned)) assert.doesNotMatch(q!.text, /FROM alerts/, k);
    const unaligned = summaryStatsSql({ since: h + 1, until: h + 24 * 3_600_000, bucketMs: 1_800_000 }, match);
    for (const [k, q] of Object.entries(unaligned)) assert.match(q!.text, /FROM alert_counts_\w+ .*UNION ALL .*FROM alerts/s, k);
    // the plans run (every part well-formed for SQLite)
    for (const q of Object.values(unaligned)) s.db.prepare(`EXPLAIN QUERY PLAN ${q!.text}`).all(...q!.params);
    // a priority filter is carried by every summary table
    const byPriority = summaryStatsSql({ since: h, until: h + 24 * 3_600_000, minPriority: 'Warning', bucketMs: 1_800_000 }, match);
    for (const [k, q] of Object.entries(byPriority)) assert.doesNotMatch(q!.text, /FROM alerts/, k);
    const rows = summaryStatsSql({ pod: 'web-0', bucketMs: 3_600_000 }, match);
    for (const q of Object.values(rows)) assert.doesNotMatch(q!.text, /alert_counts_/);
  } finally {
    await s.close();
  }
});
