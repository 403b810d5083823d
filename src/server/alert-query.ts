/**
 * Alert pages and counts for the routes. Stores that have `pageAlerts` and `alertStats` (the
 * SQL stores, filtering and counting in the database) answer directly; for a store without
 * them the same answers are computed here over a bounded window of `queryAlerts`, so the API
 * keeps working, slower, with any `Store`.
 * @module
 */
import { PRIORITIES, VigilError, type Priority } from '../core/index.ts';
import type { Store, StoredAlert } from '../store/index.ts';

/** What the routes filter alerts by (the store's filter fields). */
export interface AlertSelect {
  since?: number;
  until?: number;
  rule?: string;
  minPriority?: Priority;
  source?: string;
  container?: string;
  pod?: string;
  namespace?: string;
  text?: string;
}

/** One page and the cursor of the next. */
export interface AlertPageOut {
  alerts: StoredAlert[];
  next?: string;
}

/** Counts for the overview. */
export interface AlertStatsOut {
  total: number;
  byPriority: Record<string, number>;
  buckets: { start: number; total: number; byPriority: Partial<Record<string, number>> }[];
  topRules: { name: string; count: number; label?: string }[];
  topContainers: { name: string; count: number; label?: string }[];
  topNamespaces: { name: string; count: number }[];
  topPods: { name: string; count: number }[];
}

type Paging = {
  pageAlerts?: (q: AlertSelect & { cursor?: string; newestFirst?: boolean; limit?: number }) => Promise<AlertPageOut>;
  alertStats?: (q: AlertSelect & { bucketMs?: number; top?: number }) => Promise<AlertStatsOut>;
};

// the fallback reads at most this many alerts per request, so one request cannot scan a huge store
const WINDOW = 50_000;

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
function place(a: StoredAlert): { container: string; name: string; pod: string; ns: string } {
  const f = a.alert.output_fields ?? {};
  return {
    container: str(f['container.id']),
    name: str(f['container.name']),
    pod: str(f['k8s.pod.name']) || (f['ka.target.resource'] === 'pods' ? str(f['ka.target.name']) : ''),
    ns: str(f['k8s.ns.name']) || str(f['ka.target.namespace']),
  };
}

function matches(a: StoredAlert, q: AlertSelect): boolean {
  const p = place(a);
  if (q.container && p.container !== q.container && p.name !== q.container && !(q.container.length === 64 && p.container === q.container.slice(0, 12))) return false;
  if (q.pod && p.pod !== q.pod) return false;
  if (q.namespace && p.ns !== q.namespace) return false;
  return !q.text || a.alert.output.toLowerCase().includes(q.text.toLowerCase());
}

async function window(store: Store, q: AlertSelect, newestFirst: boolean, limit = WINDOW): Promise<StoredAlert[]> {
  const rows = await store.queryAlerts({ since: q.since, until: q.until, rule: q.rule, minPriority: q.minPriority, source: q.source, newestFirst, limit });
  return rows.filter((a) => matches(a, q));
}

function decodeCursor(c: string): { ts: number; id: string } {
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as { ts: unknown; id: unknown };
    if (typeof v.ts === 'number' && typeof v.id === 'string') return { ts: v.ts, id: v.id };
  } catch {
    // reported below
  }
  throw new VigilError('API_BAD_CURSOR', 'cursor is not one this server gave out', { jsonPath: '$.querystring.cursor' });
}

/** One page of alerts in (ts, id) order. */
export async function pageAlerts(store: Store, q: AlertSelect & { cursor?: string; newestFirst?: boolean; limit?: number }): Promise<AlertPageOut> {
  const s = store as Store & Paging;
  if (s.pageAlerts) return s.pageAlerts(q);
  const limit = q.limit ?? 100;
  const newest = !!q.newestFirst;
  let sel = q;
  let after: ((a: StoredAlert) => boolean) | undefined;
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    // keyset: continue strictly after the last alert of the previous page, in the same order
    sel = newest ? { ...q, until: Math.min(q.until ?? Infinity, c.ts + 1) } : { ...q, since: Math.max(q.since ?? -Infinity, c.ts) };
    after = (a) => (newest ? a.ts < c.ts || (a.ts === c.ts && a.id < c.id) : a.ts > c.ts || (a.ts === c.ts && a.id > c.id));
  }
  // without filters the store cannot apply, one more than a page (plus ties at the cursor) is enough
  const post = !!(q.container || q.pod || q.namespace || q.text);
  const rows = (await window(store, sel, newest, post ? WINDOW : limit + 1 + (after ? 1000 : 0))).filter((a) => !after || after(a));
  const alerts = rows.slice(0, limit);
  const last = alerts.at(-1);
  return { alerts, next: rows.length > limit && last ? Buffer.from(JSON.stringify({ ts: last.ts, id: last.id })).toString('base64url') : undefined };
}

/** Counts by priority, per time bucket and top lists over the matching alerts. */
export async function alertStats(store: Store, q: AlertSelect & { bucketMs?: number; top?: number }): Promise<AlertStatsOut> {
  const s = store as Store & Paging;
  if (s.alertStats) return s.alertStats(q);
  const rows = await window(store, q, true);
  const byPriority: Record<string, number> = Object.fromEntries(PRIORITIES.map((p) => [p, 0]));
  const buckets = new Map<number, { start: number; total: number; byPriority: Record<string, number> }>();
  const count = { rules: new Map<string, number>(), containers: new Map<string, number>(), ns: new Map<string, number>(), pods: new Map<string, number>() };
  const labels = new Map<string, string>();
  const inc = (m: Map<string, number>, k: string) => k && m.set(k, (m.get(k) ?? 0) + 1);
  for (const a of rows) {
    const pr = a.alert.priority;
    byPriority[pr] = (byPriority[pr] ?? 0) + 1;
    if (q.bucketMs) {
      const start = Math.floor(a.ts / q.bucketMs) * q.bucketMs;
      const b = buckets.get(start) ?? { start, total: 0, byPriority: {} };
      b.total++;
      b.byPriority[pr] = (b.byPriority[pr] ?? 0) + 1;
      buckets.set(start, b);
    }
    const p = place(a);
    inc(count.rules, a.alert.rule);
    inc(count.containers, p.container);
    if (p.container && p.name) labels.set(p.container, p.name);
    inc(count.ns, p.ns);
    inc(count.pods, p.pod && (p.ns ? `${p.ns}/${p.pod}` : p.pod));
  }
  const top = (m: Map<string, number>) =>
    [...m].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).slice(0, q.top ?? 10).map(([name, c]) => (labels.has(name) ? { name, count: c, label: labels.get(name) } : { name, count: c }));
  return {
    total: rows.length, byPriority, buckets: [...buckets.values()].sort((x, y) => x.start - y.start),
    topRules: top(count.rules), topContainers: top(count.containers), topNamespaces: top(count.ns), topPods: top(count.pods),
  };
}

