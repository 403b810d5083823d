/**
 * The one store conformance suite. Each implementation's test file calls `runStoreSuite` with a
 * factory for an empty, migrated store; the same assertions then hold for SQLite and PostgreSQL.
 * @module
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert, Priority } from '../core/index.ts';
import { sampleAlert } from './testing.ts';
import { registerSearchCases } from './search.case.ts';
import { registerSummaryCases } from './summary.case.ts';
import { newId } from './ids.ts';
import { stringifyExact } from './json.ts';
import { SCHEMA_VERSION } from './schema.ts';
import type { Activity, Store, StoredAlert } from './types.ts';

function stored(i: number, ts: number, over: Partial<Alert> = {}, fields: Alert['output_fields'] = {}): StoredAlert {
  return { id: newId(ts), ts, alert: sampleAlert(i, over, fields) };
}

function act(i: number, over: Partial<Activity> = {}): Activity {
  return { kind: 'exec', ts: 1000 + i, tsNs: `${1000 + i}000123`, pid: 100 + i, comm: 'sh', ...over };
}

/** Registers the shared suite. `open` returns a fresh empty store, or a skip reason. */
export function runStoreSuite(name: string, open: () => Promise<Store | string>): void {
  const withStore = (title: string, fn: (s: Store) => Promise<void>): void => {
    test(`${name}: ${title}`, async (t) => {
      const s = await open();
      if (typeof s === 'string') {
        t.skip(s);
        return;
      }
      try {
        await fn(s);
      } finally {
        await s.close();
      }
    });
  };

  registerSearchCases(withStore, stored);
  registerSummaryCases(withStore, stored);

  withStore('migrations are idempotent and reach the newest version', async (s) => {
    assert.equal(await s.migrate(), SCHEMA_VERSION);
    assert.equal(await s.migrate(), SCHEMA_VERSION);
  });

  withStore('an alert round-trips byte-exact JSON: unicode, nanosecond time, 64-bit integers', async (s) => {
    const fields = { 'container.id': 'abc123', 'proc.pid': 42, 'fd.names': ['a', 'b'], nil: null, ok: true, 'evt.rawtime': 1470327477881781397n as unknown as number };
    const a = stored(7, 5000, {}, fields);
    await s.addAlerts([a], ['http']);
    const back = await s.getAlert(a.id);
    assert.deepEqual(back, a);
    assert.equal(stringifyExact(back!.alert), stringifyExact(a.alert));
    assert.match(stringifyExact(back!.alert), /"evt.rawtime":1470327477881781397/);
    assert.deepEqual((await s.dueDeliveries('http', 0, 1))[0].alert, a.alert);
    assert.equal(await s.getAlert('nope'), undefined);
  });

  withStore('alert queries filter by time, rule, priority, container, pid and order', async (s) => {
    const pr: Priority[] = ['Critical', 'Warning', 'Notice', 'Debug'];
    const rows = Array.from({ length: 8 }, (_, i) =>
      stored(i, 1000 + i * 10, { priority: pr[i % 4], rule: i % 2 ? 'odd' : 'even' }, { 'container.id': i < 4 ? 'c1' : 'c2', 'proc.pid': i }),
    );
    await s.addAlerts(rows, []);
    const ids = (xs: StoredAlert[]): string[] => xs.map((x) => x.id);
    assert.deepEqual(ids(await s.queryAlerts()), ids(rows));
    assert.deepEqual(ids(await s.queryAlerts({ since: 1020, until: 1050 })), ids(rows.slice(2, 5)));
    assert.deepEqual(ids(await s.queryAlerts({ rule: 'odd' })), ids(rows.filter((_, i) => i % 2)));
    assert.deepEqual(ids(await s.queryAlerts({ minPriority: 'Warning' })), ids(rows.filter((_, i) => i % 4 < 2)));
    assert.deepEqual(ids(await s.queryAlerts({ containerId: 'c2', limit: 2 })), ids(rows.slice(4, 6)));
    assert.deepEqual(ids(await s.queryAlerts({ pid: 3 })), [rows[3].id]);
    assert.deepEqual(ids(await s.queryAlerts({ newestFirst: true, limit: 3 })), ids(rows.slice(5).reverse()));
  });

  withStore('an alert batch is atomic: a duplicate id stores nothing of the batch', async (s) => {
    const a = stored(1, 100);
    await s.addAlerts([a], ['http']);
    const b = stored(2, 101);
    await assert.rejects(s.addAlerts([b, a], ['http']));
    assert.equal(await s.getAlert(b.id), undefined);
    assert.equal(await s.pendingCount(), 1);
  });

  withStore('outbox: one delivery per channel, due order, exclusions, ack per channel', async (s) => {
    const rows = Array.from({ length: 5 }, (_, i) => stored(i, 2000 + i));
    await s.addAlerts(rows, ['http', 'syslog']);
    assert.equal(await s.pendingCount(), 10);
    assert.equal(await s.pendingCount('http'), 5);
    const due = await s.dueDeliveries('http', 0, 3);
    assert.deepEqual(due.map((d) => d.alertId), rows.slice(0, 3).map((r) => r.id));
    assert.deepEqual(due[0].alert, rows[0].alert);
    assert.equal(due[0].attempts, 0);
    const skip = new Set([rows[0].id, rows[2].id]);
    assert.deepEqual((await s.dueDeliveries('http', 0, 2, skip)).map((d) => d.alertId), [rows[1].id, rows[3].id]);
    await s.ackDeliveries('http', [rows[0].id, rows[1].id]);
    assert.equal(await s.pendingCount('http'), 3);
    assert.equal(await s.pendingCount('syslog'), 5);
    assert.equal(await s.pendingCount(), 8);
  });

  withStore('outbox: retries bump attempts and are not due before their time', async (s) => {
    const rows = Array.from({ length: 3 }, (_, i) => stored(i, 3000 + i));
    await s.addAlerts(rows, ['http']);
    await s.retryDeliveries('http', [rows[0].id, rows[1].id], 5000, 'connect ECONNREFUSED');
    assert.deepEqual((await s.dueDeliveries('http', 4999, 10)).map((d) => d.alertId), [rows[2].id]);
    const later = await s.dueDeliveries('http', 5000, 10);
    assert.equal(later.length, 3);
    const r0 = later.find((d) => d.alertId === rows[0].id)!;
    assert.equal(r0.attempts, 1);
    assert.equal(r0.nextAt, 5000);
    assert.equal(r0.lastError, 'connect ECONNREFUSED');
    assert.equal(await s.nextDueAt('http'), 0);
    await s.ackDeliveries('http', [rows[2].id]);
    assert.equal(await s.nextDueAt('http'), 5000);
    assert.equal(await s.nextDueAt('none'), undefined);
  });

  withStore('concurrent writers lose nothing', async (s) => {
    const batches = Array.from({ length: 20 }, (_, b) => Array.from({ length: 25 }, (_, i) => stored(b * 25 + i, 10_000 + b)));
    await Promise.all(batches.map((x) => s.addAlerts(x, ['http'])));
    assert.equal((await s.queryAlerts()).length, 500);
    assert.equal(await s.pendingCount('http'), 500);
  });

  withStore('activity round-trips and filters by kind, container, pod, pid, time and cursor', async (s) => {
    const recs: Activity[] = [
      act(1, { ppid: 1, exe: '/bin/sh', cmdline: 'sh -c id', user: 'root', uid: 0, cwd: '/', parentChain: [{ pid: 1, comm: 'init' }], containerId: 'c1', pod: 'web-0', namespace: 'prod' }),
      act(2, { kind: 'net', comm: 'curl', containerId: 'c1', pod: 'web-0', namespace: 'prod', detail: { direction: 'out', proto: 'tcp', dst: '10.0.0.1:443' } }),
      act(3, { kind: 'file', comm: 'vi', containerId: 'c2', pod: 'db-0', namespace: 'prod', detail: { op: 'write', path: '/etc/passwd' } }),
      act(4, { tsNs: '18446744073709551615' }),
    ];
    await s.addActivity(recs);
    const all = await s.queryActivity();
    assert.equal(all.length, 4);
    const { id: _id, ...first } = all[0];
    assert.deepEqual(first, recs[0]);
    assert.equal(all[3].tsNs, '18446744073709551615');
    assert.deepEqual((await s.queryActivity({ kinds: ['net', 'file'] })).map((a) => a.kind), ['net', 'file']);
    assert.deepEqual((await s.queryActivity({ containerId: 'c1' })).map((a) => a.pid), [101, 102]);
    assert.deepEqual((await s.queryActivity({ namespace: 'prod', pod: 'db-0' })).map((a) => a.pid), [103]);
    assert.deepEqual((await s.queryActivity({ pid: 104 })).map((a) => a.pid), [104]);
    assert.deepEqual((await s.queryActivity({ since: 1002, until: 1004 })).map((a) => a.pid), [102, 103]);
    assert.deepEqual((await s.queryActivity({ afterId: all[1].id, limit: 1 })).map((a) => a.pid), [103]);
    assert.deepEqual((await s.queryActivity({ newestFirst: true, limit: 1 })).map((a) => a.pid), [104]);
  });

  withStore('retention by age keeps alerts that still wait for delivery', async (s) => {
    const old = stored(1, 1000);
    const oldPending = stored(2, 1001);
    const fresh = stored(3, 9000);
    await s.addAlerts([old, fresh], []);
    await s.addAlerts([oldPending], ['http']);
    await s.addActivity([act(1, { ts: 500 }), act(2, { ts: 9500 })]);
    const r = await s.prune({ maxAgeMs: 5000, now: 10_000 });
    assert.deepEqual(r, { alerts: 1, activity: 1 });
    assert.deepEqual((await s.queryAlerts()).map((a) => a.id), [oldPending.id, fresh.id]);
    assert.deepEqual((await s.queryActivity()).map((a) => a.ts), [9500]);
  });

  withStore('retention by size removes the oldest rows first until under the limit', async (s) => {
    const rows = Array.from({ length: 40 }, (_, i) => stored(i, 1000 + i * 2));
    await s.addAlerts(rows, []);
    await s.addActivity(Array.from({ length: 40 }, (_, i) => act(i, { ts: 1001 + i * 2, cmdline: 'x'.repeat(200) })));
    const before = (await s.queryAlerts()).length + (await s.queryActivity()).length;
    const sizeOf = JSON.stringify(rows[0].alert).length;
    const r = await s.prune({ maxBytes: sizeOf * 10 });
    const keptA = await s.queryAlerts();
    const keptB = await s.queryActivity();
    assert.equal(r.alerts + r.activity, before - keptA.length - keptB.length);
    assert.ok(keptA.length > 0 && keptA.length < 40);
    // what is left is the newest: every kept row is newer than every removed one
    const oldestKept = Math.min(keptA[0].ts, keptB[0]?.ts ?? Infinity);
    assert.ok(rows.filter((x) => !keptA.some((k) => k.id === x.id)).every((x) => x.ts <= oldestKept));
    assert.deepEqual(await s.prune({ maxBytes: sizeOf * 10 }), { alerts: 0, activity: 0 });
  });

  withStore('clear removes everything', async (s) => {
    await s.addAlerts([stored(1, 1)], ['http']);
    await s.addActivity([act(1)]);
    await s.clear();
    assert.equal((await s.queryAlerts()).length, 0);
    assert.equal((await s.queryActivity()).length, 0);
    assert.equal(await s.pendingCount(), 0);
  });
}
