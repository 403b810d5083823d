/**
 * Alert search cases of the shared store suite (registered by `common.case.ts`): filters,
 * full text, keyset pages and the overview's counts, identical on SQLite and PostgreSQL.
 * @module
 */
import assert from 'node:assert/strict';
import type { Alert, Priority } from '../core/index.ts';
import type { AlertQuery, Store, StoredAlert } from './types.ts';

type WithStore = (title: string, fn: (s: Store) => Promise<void>) => void;
type Stored = (i: number, ts: number, over?: Partial<Alert>, fields?: Alert['output_fields']) => StoredAlert;

const ids = (xs: StoredAlert[]): string[] => xs.map((x) => x.id);

/** Twelve alerts over three containers, two namespaces, four priorities; syscall and k8s audit. */
function corpus(stored: Stored): StoredAlert[] {
  const pr: Priority[] = ['Critical', 'Warning', 'Notice', 'Warning'];
  const out: StoredAlert[] = [];
  for (let i = 0; i < 9; i++) {
    const ctr = ['aaaaaaaaaaaa', 'bbbbbbbbbbbb', 'host'][i % 3];
    const fields: Alert['output_fields'] = { 'container.id': ctr, 'proc.pid': 10 + i };
    if (ctr !== 'host') {
      fields['container.name'] = ctr === 'aaaaaaaaaaaa' ? 'nginx' : 'redis';
      fields['k8s.pod.name'] = ctr === 'aaaaaaaaaaaa' ? 'web-0' : 'cache-0';
      fields['k8s.ns.name'] = ctr === 'aaaaaaaaaaaa' ? 'prod' : 'dev';
    }
    const output = i === 4
      ? '10:00:00: Critical 100% match_of "quoted" text in C:\\tmp (user=Ünïcode)'
      : `10:00:00: ${pr[i % 4]} Shell spawned #${i} in container ${ctr}`;
    out.push(stored(i, 60_000 * i, { priority: pr[i % 4], rule: i % 2 ? 'Shell in container' : 'Write below etc', output }, fields));
  }
  // audit events name their pod in ka.target.*; only a pods target counts as a pod
  out.push(stored(9, 60_000 * 9, { source: 'k8s_audit', rule: 'Attach to pod', priority: 'Notice', output: 'attach to pod web-0' },
    { 'ka.target.resource': 'pods', 'ka.target.name': 'web-0', 'ka.target.namespace': 'prod' }));
  out.push(stored(10, 60_000 * 10, { source: 'k8s_audit', rule: 'Create configmap', priority: 'Debug', output: 'configmap web-0' },
    { 'ka.target.resource': 'configmaps', 'ka.target.name': 'web-0', 'ka.target.namespace': 'prod' }));
  out.push(stored(11, 60_000 * 10, { priority: 'Emergency', rule: 'Write below etc', output: 'emergency ab' }, { 'container.id': 'host' }));
  return out;
}

/** Registers the search cases on a suite's `withStore`. */
export function registerSearchCases(withStore: WithStore, stored: Stored): void {
  withStore('alert search: pod, namespace, container by id/name/full id, exact priorities, rule lists', async (s) => {
    const rows = corpus(stored);
    await s.addAlerts(rows, []);
    const pick = (f: (a: StoredAlert, i: number) => boolean): string[] => ids(rows.filter(f));
    const fields = (a: StoredAlert): Alert['output_fields'] => a.alert.output_fields;
    assert.deepEqual(ids(await s.queryAlerts({ pod: 'web-0' })), pick((a) => fields(a)['k8s.pod.name'] === 'web-0' || a.alert.rule === 'Attach to pod'));
    assert.deepEqual(ids(await s.queryAlerts({ namespace: 'prod' })), pick((a) => fields(a)['k8s.ns.name'] === 'prod' || fields(a)['ka.target.namespace'] === 'prod'));
    assert.deepEqual(ids(await s.queryAlerts({ namespace: 'dev', pod: 'web-0' })), []);
    const ctrB = pick((a) => fields(a)['container.id'] === 'bbbbbbbbbbbb');
    assert.equal(ctrB.length, 3);
    assert.deepEqual(ids(await s.queryAlerts({ container: 'redis' })), ctrB);
    assert.deepEqual(ids(await s.queryAlerts({ container: 'bbbbbbbbbbbb' })), ctrB);
    assert.deepEqual(ids(await s.queryAlerts({ container: 'b'.repeat(64) })), ctrB);
    assert.deepEqual(ids(await s.queryAlerts({ priority: 'Warning' })), pick((a) => a.alert.priority === 'Warning'));
    assert.deepEqual(ids(await s.queryAlerts({ priority: ['Emergency', 'Debug'] })), pick((a) => ['Emergency', 'Debug'].includes(a.alert.priority)));
    assert.deepEqual(ids(await s.queryAlerts({ minPriority: 'Critical' })), pick((a) => ['Emergency', 'Critical'].includes(a.alert.priority)));
    assert.deepEqual(ids(await s.queryAlerts({ rule: ['Attach to pod', 'Create configmap'] })), ids(rows.slice(9, 11)));
    assert.deepEqual(ids(await s.queryAlerts({ source: 'k8s_audit', namespace: 'prod', priority: 'Notice' })), [rows[9].id]);
  });

  withStore('alert search: full text is a case-insensitive substring of the output, special characters literal', async (s) => {
    const rows = corpus(stored);
    await s.addAlerts(rows, []);
    const expect = (t: string): string[] => ids(rows.filter((a) => a.alert.output.toLowerCase().includes(t.toLowerCase())));
    for (const t of ['shell SPAWNED', 'spawned #3', '100%', '% m', 'match_of', '"quoted"', 'C:\\tmp', 'ünïcode', 'ab', 'b', 'web-0', 'no such text', '_', '%']) {
      assert.deepEqual(ids(await s.queryAlerts({ text: t })), expect(t), `text ${JSON.stringify(t)}`);
    }
    assert.ok(expect('spawned').length > 3, 'the corpus exercises the match');
    assert.deepEqual(ids(await s.queryAlerts({ text: 'spawned', container: 'nginx', newestFirst: true })),
      expect('spawned').filter((id) => rows.find((r) => r.id === id)!.alert.output_fields['container.name'] === 'nginx').reverse());
    // deleted rows leave the text index too
    await s.prune({ maxAgeMs: 60_000 * 5, now: 60_000 * 10 });
    assert.deepEqual(ids(await s.queryAlerts({ text: 'spawned' })), expect('spawned').filter((id) => rows.find((r) => r.id === id)!.ts >= 60_000 * 5));
  });

  withStore('alert search: text pages read from the newest rows or from the text index give the same answers', async (s) => {
    // 60 alerts: "common" in every other one, "rare" only in the three oldest
    const rows = Array.from({ length: 60 }, (_, i) => stored(i, 1000 + Math.floor(i / 3), { output: `${i % 2 ? 'a COMMON word' : 'plain'}${i < 3 ? ' and a Rare one' : ''} #${i}` }));
    await s.addAlerts(rows, []);
    const expect = (t: string, newest: boolean) => {
      const m = rows.filter((a) => a.alert.output.toLowerCase().includes(t)).sort((x, y) => x.ts - y.ts || (x.id < y.id ? -1 : 1));
      return ids(newest ? m.reverse() : m);
    };
    const walk = async (q: AlertQuery): Promise<string[]> => {
      const out: string[] = [];
      let cursor: string | undefined;
      for (let n = 0; n < 100; n++) {
        const p = await s.pageAlerts({ ...q, cursor });
        out.push(...ids(p.alerts));
        if (!p.next) break;
        cursor = p.next;
      }
      return out;
    };
    // a window of 8 rows: pages of "common" come from it (the text index is not asked), "rare"
    // falls through to the index
    Object.assign(s, { textWindowRows: 8 });
    const match = (s as unknown as { textMatch: unknown }).textMatch;
    Object.assign(s, { textMatch: () => assert.fail('the text index was asked') });
    assert.deepEqual(ids((await s.pageAlerts({ text: 'common', limit: 3, newestFirst: true })).alerts), expect('common', true).slice(0, 3));
    Object.assign(s, { textMatch: match });
    for (const window of [8, 2000]) {
      Object.assign(s, { textWindowRows: window });
      for (const newestFirst of [true, false]) {
        for (const [t, limit] of [['common', 3], ['common', 50], ['rare', 2], ['rare', 10], ['word #5', 4], ['nothing', 5]] as const) {
          assert.deepEqual(await walk({ text: t.toUpperCase(), limit, newestFirst }), expect(t, newestFirst), `window ${window} ${t} limit ${limit} newest ${newestFirst}`);
        }
      }
    }
  });

  withStore('alert pages: keyset cursor visits every match once in both orders, ties on time included', async (s) => {
    const rows = Array.from({ length: 23 }, (_, i) => stored(i, 1000 + Math.floor(i / 4), { rule: i % 5 ? 'r' : 'other' }));
    await s.addAlerts(rows.slice().reverse(), []);
    const sorted = rows.slice().sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
    for (const [newestFirst, want] of [[false, sorted], [true, sorted.slice().reverse()]] as const) {
      for (const q of [{}, { rule: 'r' }] as AlertQuery[]) {
        const seen: StoredAlert[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const p = await s.pageAlerts({ ...q, newestFirst, limit: 4, cursor });
          assert.ok(p.alerts.length <= 4);
          seen.push(...p.alerts);
          cursor = p.next;
          assert.ok(++pages < 20, 'pagination ends');
        } while (cursor);
        assert.deepEqual(ids(seen), ids(want.filter((a) => !q.rule || a.alert.rule === q.rule)));
      }
    }
    const exact = await s.pageAlerts({ limit: 23 });
    assert.equal(exact.alerts.length, 23);
    assert.equal(exact.next, undefined, 'no cursor when nothing follows');
    assert.deepEqual(await s.pageAlerts({ limit: 0 }), { alerts: [] });
  });

  withStore('alert search refuses bad input with a code and a path', async (s) => {
    const code = (c: string, path: string) => (e: unknown): boolean => {
      const d = (e as { diagnostic?: { code: string; jsonPath?: string } }).diagnostic;
      return d?.code === c && d.jsonPath === path;
    };
    await assert.rejects(s.pageAlerts({ cursor: 'garbage!' }), code('STORE_BAD_CURSOR', '$.cursor'));
    await assert.rejects(s.pageAlerts({ cursor: Buffer.from('[1,2]').toString('base64url') }), code('STORE_BAD_CURSOR', '$.cursor'));
    await assert.rejects(s.queryAlerts({ priority: ['Warning', 'Loud' as Priority] }), code('STORE_BAD_QUERY', '$.priority[1]'));
    await assert.rejects(s.queryAlerts({ minPriority: 'x' as Priority }), code('STORE_BAD_QUERY', '$.minPriority'));
    await assert.rejects(s.queryAlerts({ limit: -1 }), code('STORE_BAD_QUERY', '$.limit'));
    await assert.rejects(s.queryAlerts({ since: Number.NaN }), code('STORE_BAD_QUERY', '$.since'));
    await assert.rejects(s.alertStats({ bucketMs: 0 }), code('STORE_BAD_QUERY', '$.bucketMs'));
    await assert.rejects(s.queryAlerts({ text: 42 as unknown as string }), code('STORE_BAD_QUERY', '$.text'));
  });

  withStore('alert stats: totals by priority, time buckets and top rules/containers/namespaces/pods', async (s) => {
    const rows = corpus(stored);
    await s.addAlerts(rows, []);
    const st = await s.alertStats({ bucketMs: 180_000, top: 2 });
    assert.equal(st.total, rows.length);
    const count = (f: (a: StoredAlert) => boolean, xs = rows): number => xs.filter(f).length;
    for (const p of ['Emergency', 'Critical', 'Warning', 'Notice', 'Debug', 'Alert'] as Priority[]) {
      assert.equal(st.byPriority[p], count((a) => a.alert.priority === p), p);
    }
    const starts = [...new Set(rows.map((a) => Math.floor(a.ts / 180_000) * 180_000))];
    assert.deepEqual(st.buckets.map((b) => b.start), starts);
    for (const b of st.buckets) {
      const inB = rows.filter((a) => a.ts >= b.start && a.ts < b.start + 180_000);
      assert.equal(b.total, inB.length);
      for (const [p, n] of Object.entries(b.byPriority)) assert.equal(n, count((a) => a.alert.priority === p, inB));
    }
    assert.deepEqual(st.topRules, [
      { name: 'Write below etc', count: count((a) => a.alert.rule === 'Write below etc') },
      { name: 'Shell in container', count: count((a) => a.alert.rule === 'Shell in container') },
    ]);
    assert.deepEqual(st.topContainers, [{ name: 'host', count: 4 }, { name: 'aaaaaaaaaaaa', count: 3, label: 'nginx' }]);
    assert.deepEqual(st.topNamespaces, [{ name: 'prod', count: 5 }, { name: 'dev', count: 3 }]);
    assert.deepEqual(st.topPods, [{ name: 'prod/web-0', count: 4 }, { name: 'dev/cache-0', count: 3 }]);
    // the filter applies to every count
    const f = await s.alertStats({ namespace: 'dev', since: 60_000 * 2 });
    assert.equal(f.total, count((a) => a.alert.output_fields['k8s.ns.name'] === 'dev' && a.ts >= 120_000));
    assert.deepEqual(f.buckets, []);
    assert.deepEqual(f.topPods.map((p) => p.name), ['dev/cache-0']);
    const none = await s.alertStats({ text: 'no such text' });
    assert.equal(none.total, 0);
    assert.deepEqual(none.topRules, []);
  });
}
