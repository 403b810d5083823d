/**
 * Summary-table cases of the shared store suite (registered by `common.case.ts`): the
 * overview's counts read from the pre-aggregated tables equal the counts over the alert rows
 * (`fromRows`) for every filter shape, range edge and bucket width, after inserts, a failed
 * insert, retention by age and by size, and `clear`.
 * @module
 */
import assert from 'node:assert/strict';
import type { Alert, Priority } from '../core/index.ts';
import type { AlertStatsQuery, Store, StoredAlert } from './types.ts';

type WithStore = (title: string, fn: (s: Store) => Promise<void>) => void;
type Stored = (i: number, ts: number, over?: Partial<Alert>, fields?: Alert['output_fields']) => StoredAlert;

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** An hour boundary in 2026, so granules and bucket edges are real epoch-aligned ones. */
const T0 = Date.parse('2026-02-01T00:00:00Z');

/**
 * 300 alerts over about 10 hours, then 60 more over the next four days (so whole days are
 * counted from day rows): priorities, rules, sources, containers with and without names,
 * pods with and without namespaces.
 */
function spread(stored: Stored): StoredAlert[] {
  const pr: Priority[] = ['Critical', 'Warning', 'Notice', 'Error', 'Warning'];
  const out: StoredAlert[] = [];
  for (let i = 0; i < 360; i++) {
    const f: Alert['output_fields'] = {};
    if (i % 7) f['container.id'] = `c${i % 5}`;
    if (i % 7 && i % 3) f['container.name'] = `name-${i % 5}`;
    if (i % 4) f['k8s.pod.name'] = `pod-${i % 6}`;
    if (i % 4 && i % 5) f['k8s.ns.name'] = `ns-${i % 2}`;
    const ts = i < 300 ? T0 + Math.floor(i * 2 * MIN + (i % 13) * 1_777) : T0 + 10 * HOUR + (i - 300) * 97 * MIN + (i % 11) * 3_001;
    out.push(stored(i, ts, { priority: pr[i % 5], rule: `rule ${i % 4}`, source: i % 9 ? 'syscall' : 'k8s_audit' }, f));
  }
  return out;
}

/** Filters whose answers must not depend on where they are counted. */
function shapes(): [string, AlertStatsQuery][] {
  const mid = T0 + 3 * HOUR + 17 * MIN + 123;
  return [
    ['everything, hour buckets', { bucketMs: HOUR }],
    ['everything, 5-minute buckets', { bucketMs: 5 * MIN }],
    ['unaligned range, 10-minute buckets', { since: T0 + 25 * MIN + 7, until: mid + 4 * HOUR, bucketMs: 10 * MIN }],
    ['unaligned range, 2-hour buckets', { since: T0 + 25 * MIN + 7, until: mid + 4 * HOUR, bucketMs: 2 * HOUR }],
    ['a width that is no whole number of minutes', { since: T0 + HOUR, until: mid, bucketMs: 7_001 }],
    ['aligned hours', { since: T0 + HOUR, until: T0 + 6 * HOUR, bucketMs: HOUR }],
    ['inside one hour', { since: mid, until: mid + 20 * MIN, bucketMs: MIN }],
    ['since only', { since: mid }],
    ['until only', { until: mid }],
    ['rule, unaligned', { rule: 'rule 1', since: T0 + 90 * MIN + 1, until: mid + 2 * HOUR, bucketMs: HOUR }],
    ['rules and source, minute buckets', { rule: ['rule 0', 'rule 3'], source: 'syscall', bucketMs: 30 * MIN }],
    ['at least Error', { minPriority: 'Error', since: T0 + 61 * MIN, bucketMs: 15 * MIN }],
    ['exact priorities', { priority: ['Warning', 'Notice'], until: mid }],
    // priority filters at every granule: containers, namespaces and pods come from the summary tables too
    ['a priority inside one hour (minutes)', { priority: 'Warning', since: mid, until: mid + 40 * MIN, bucketMs: MIN }],
    ['priorities over unaligned hours', { priority: ['Critical', 'Error'], since: T0 + 25 * MIN + 7, until: mid + 4 * HOUR, bucketMs: HOUR }],
    ['at least Warning over whole days and their edges', { minPriority: 'Warning', since: T0 + 5 * HOUR + 7, until: T0 + 3 * DAY + 2 * HOUR + 11, bucketMs: DAY }],
    ['a priority over all time, 6-hour buckets', { priority: 'Notice', bucketMs: 6 * HOUR }],
    ['pod (rows only)', { pod: 'pod-1', bucketMs: HOUR }],
    ['top 3', { top: 3, since: T0 + 5 * MIN }],
  ];
}

async function sameAsRows(s: Store, when: string): Promise<void> {
  for (const [name, q] of shapes()) {
    const fromSummary = await s.alertStats(q);
    const fromRows = await s.alertStats({ ...q, fromRows: true });
    assert.deepEqual(fromSummary, fromRows, `${when}: ${name}`);
  }
}

/** Registers the summary cases on `withStore`. */
export function registerSummaryCases(withStore: WithStore, stored: Stored): void {
  withStore('overview counts from the summary tables equal counts over the rows, for every filter and range', async (s) => {
    const all = spread(stored);
    // several batches, so summary rows are added to as well as created
    for (let i = 0; i < all.length; i += 70) await s.addAlerts(all.slice(i, i + 70), []);
    await sameAsRows(s, 'after inserts');
    const st = await s.alertStats({});
    assert.equal(st.total, all.length);
    const warn = await s.alertStats({ priority: 'Warning' });
    assert.ok(warn.topContainers.length > 0 && warn.topPods.length > 0 && warn.topNamespaces.length > 0, 'a priority-filtered overview lists containers, pods and namespaces');
    assert.equal(st.topContainers.find((c) => c.name === 'c1')?.label, 'name-1');
    // a batch that fails (a duplicate id) changes neither the rows nor the counts
    await assert.rejects(s.addAlerts([stored(900, T0 + 5, {}, {}), all[3]], []));
    assert.equal((await s.alertStats({})).total, all.length);
    await sameAsRows(s, 'after a failed insert');
  });

  withStore('retention by age and by size keeps the summary true; clear empties it', async (s) => {
    const all = spread(stored);
    await s.addAlerts(all, ['http']);
    // alerts still owed to a channel are kept by retention: acknowledge all but a few old ones
    await s.ackDeliveries('http', all.slice(8).map((a) => a.id));
    const cutoff = T0 + 2 * HOUR + 31 * MIN + 5;
    const pr = await s.prune({ maxAgeMs: HOUR, now: cutoff + HOUR });
    const kept = all.filter((a, i) => a.ts >= cutoff || i < 8).length;
    assert.equal(pr.alerts, all.length - kept);
    assert.equal((await s.alertStats({})).total, kept);
    await sameAsRows(s, 'after retention by age');
    await s.ackDeliveries('http', all.slice(0, 8).map((a) => a.id));
    const bytes = await s.prune({ maxBytes: 20_000 });
    assert.ok(bytes.alerts > 0, 'retention by size removed alerts');
    assert.equal((await s.alertStats({})).total, kept - bytes.alerts);
    await sameAsRows(s, 'after retention by size');
    await s.clear();
    assert.equal((await s.alertStats({ bucketMs: HOUR })).total, 0);
    assert.deepEqual((await s.alertStats({ bucketMs: HOUR })).buckets, []);
    await s.addAlerts(all.slice(0, 10), []);
    await sameAsRows(s, 'after clear and new alerts');
  });
}
