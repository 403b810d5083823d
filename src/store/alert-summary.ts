/**
 * Pre-aggregated alert counts, so the overview does not count a million rows per request.
 * Five small tables hold counts per time granule: per minute by priority, per hour by
 * (priority, source, rule), per hour by container, by namespace and by pod. They change in
 * the same transaction as the alerts they count (insert and delete alike), filled from the
 * alert rows by SQL, so one definition serves insert, delete and the migration backfill.
 *
 * A stats query is answered from them when its filter is one they carry (time, rule,
 * priority, source); whole granules come from the summary and the partial granules at the
 * edges of the time range from the alert rows, in one UNION, so the answer is exact. Other
 * filters (container, pod, namespace, pid, text) count the rows themselves.
 * @module
 */
import { alertConditions, alertStatsSql, checkAlertFilter, type StatsSql, type TextMatch } from './alert-query.ts';
import type { Sql } from './sql.ts';
import type { AlertFilter, AlertStatsQuery } from './types.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** One summary table: its time granule, its key columns and how each is read off an alert row. */
interface SummaryTable {
  name: string;
  granule: number;
  /** Key column -> SQL over the `alerts` columns that fills it (NOT NULL: '' stands for absent). */
  keys: Record<string, string>;
  /** Which alerts it counts (SQL over `alerts`). */
  only?: string;
}

const MINUTES: SummaryTable = { name: 'alert_sum_minute', granule: MINUTE, keys: { priority: 'priority' } };
const RULES: SummaryTable = { name: 'alert_sum_rule', granule: HOUR, keys: { priority: 'priority', source: 'source', rule: 'rule' } };
const CONTAINERS: SummaryTable = {
  name: 'alert_sum_container', granule: HOUR, keys: { container_id: 'container_id', container_name: "COALESCE(container_name, '')" }, only: 'container_id IS NOT NULL',
};
const NAMESPACES: SummaryTable = { name: 'alert_sum_namespace', granule: HOUR, keys: { namespace: 'namespace' }, only: 'namespace IS NOT NULL' };
const PODS: SummaryTable = { name: 'alert_sum_pod', granule: HOUR, keys: { namespace: "COALESCE(namespace, '')", pod: 'pod' }, only: 'pod IS NOT NULL' };

/** Every summary table, in the order their rows are locked (the same in every transaction). */
export const SUMMARY_TABLES = [MINUTES, RULES, CONTAINERS, NAMESPACES, PODS];

const KEY_TYPES: Record<string, string> = { priority: 'INTEGER NOT NULL' };

/** CREATE TABLE statements of migration 3. */
export function summaryTablesDdl(): string[] {
  return SUMMARY_TABLES.map((t) => {
    const cols = Object.keys(t.keys).map((k) => `${k} ${KEY_TYPES[k] ?? 'TEXT NOT NULL'}`);
    return `CREATE TABLE ${t.name} (t BIGINT NOT NULL, ${cols.join(', ')}, n BIGINT NOT NULL, PRIMARY KEY (t, ${Object.keys(t.keys).join(', ')}))`;
  });
}

/** The granule start of `ts` in SQL: floor, also for times before 1970 (SQL `%` truncates). */
function granuleOf(g: number): string {
  return `(ts - (((ts % ${g}) + ${g}) % ${g}))`;
}

/**
 * Adds (`sign` 1) or subtracts (-1) the counts of the alerts matching `where` to every summary
 * table. Run in the transaction that inserts those alerts (after) or deletes them (before).
 */
export function summaryChange(where: Sql, sign: 1 | -1): Sql[] {
  return SUMMARY_TABLES.map((t) => {
    const keys = Object.keys(t.keys);
    const cols = ['t', ...keys];
    const ordinals = cols.map((_, i) => i + 1).join(', ');
    const cond = [`(${where.text})`, t.only].filter(Boolean).join(' AND ');
    // ORDER BY: rows are locked in key order, so concurrent writers (PostgreSQL) cannot deadlock
    return {
      text: `INSERT INTO ${t.name} (${cols.join(', ')}, n)
        SELECT ${granuleOf(t.granule)}, ${Object.values(t.keys).join(', ')}, ${sign < 0 ? '-' : ''}COUNT(*) FROM alerts
        WHERE ${cond} GROUP BY ${ordinals} ORDER BY ${ordinals}
        ON CONFLICT (${cols.join(', ')}) DO UPDATE SET n = ${t.name}.n + excluded.n`,
      params: where.params,
    };
  });
}

/** Drops summary rows whose count reached zero (after deletions). */
export function summaryVacuum(): Sql[] {
  return SUMMARY_TABLES.map((t) => ({ text: `DELETE FROM ${t.name} WHERE n = 0`, params: [] }));
}

/** Empties every summary table. */
export function summaryClear(): Sql[] {
  return SUMMARY_TABLES.map((t) => ({ text: `DELETE FROM ${t.name}`, params: [] }));
}

/** A time range split at granule `g`: whole granules (on `t`) and the partial edges (on `ts`). */
function split(q: AlertFilter, g: number): { whole?: Sql; edges?: Sql } {
  const lo = q.since === undefined ? undefined : Math.ceil(q.since / g) * g;
  const hi = q.until === undefined ? undefined : Math.floor(q.until / g) * g;
  if (lo !== undefined && hi !== undefined && lo >= hi) {
    const w: string[] = [];
    const p: unknown[] = [];
    if (q.since !== undefined) (w.push('ts >= ?'), p.push(q.since));
    if (q.until !== undefined) (w.push('ts < ?'), p.push(q.until));
    return { edges: { text: w.join(' AND '), params: p } };
  }
  const whole: Sql = { text: '', params: [] };
  const w: string[] = [];
  if (lo !== undefined) (w.push('t >= ?'), whole.params.push(lo));
  if (hi !== undefined) (w.push('t < ?'), whole.params.push(hi));
  whole.text = w.join(' AND ');
  const pieces: string[] = [];
  const p: unknown[] = [];
  if (q.since !== undefined && q.since < lo!) (pieces.push('(ts >= ? AND ts < ?)'), p.push(q.since, lo));
  if (q.until !== undefined && hi! < q.until) (pieces.push('(ts >= ? AND ts < ?)'), p.push(hi, q.until));
  return { whole, edges: pieces.length ? { text: `(${pieces.join(' OR ')})`, params: p } : undefined };
}

const and = (...xs: (string | undefined)[]): string => {
  const w = xs.filter(Boolean);
  return w.length ? `WHERE ${w.join(' AND ')}` : '';
};

/**
 * One count query over a summary table and the alert rows at the edges of the range: `sum` and
 * `raw` select the same columns (the count last, as `c`) from the table and from `alerts`;
 * `outer` groups and orders the union.
 */
function counted(t: SummaryTable, q: AlertFilter, cond: Sql, sum: string, raw: string, group: string, outer: (inner: string) => string, tail: unknown[] = []): Sql {
  const s = split(q, t.granule);
  const parts: string[] = [];
  const params: unknown[] = [];
  if (s.whole) {
    parts.push(`SELECT ${sum}, SUM(n) AS c FROM ${t.name} ${and(s.whole.text, cond.text)} GROUP BY ${group}`);
    params.push(...s.whole.params, ...cond.params);
  }
  if (s.edges) {
    parts.push(`SELECT ${raw}, COUNT(*) AS c FROM alerts ${and(s.edges.text, cond.text, t.only)} GROUP BY ${group}`);
    params.push(...s.edges.params, ...cond.params);
  }
  return { text: outer(parts.join(' UNION ALL ')), params: [...params, ...tail] };
}

/** Whether the summary tables carry every condition of this filter (besides time). */
function summarized(q: AlertStatsQuery): boolean {
  return !q.fromRows && [q.container, q.containerId, q.pod, q.namespace, q.pid].every((v) => v === undefined) && !q.text;
}

/**
 * The queries of `alertStats` (same columns as `alertStatsSql`), answered from the summary
 * tables where the filter allows and from the alert rows where it does not.
 */
export function summaryStatsSql(q: AlertStatsQuery, match: TextMatch): StatsSql {
  checkAlertFilter(q);
  const raw = alertStatsSql(q, match);
  if (!summarized(q)) return raw;
  const top = q.top ?? 10;
  const byRule = q.rule !== undefined || q.source !== undefined;
  const byPriority = q.priority !== undefined || q.minPriority !== undefined;
  // the conditions besides time: the summary tables name these columns as `alerts` does
  const cond = alertConditions({ rule: q.rule, source: q.source, minPriority: q.minPriority, priority: q.priority }, match);
  const none: Sql = { text: '', params: [] };
  const prioTable = byRule ? RULES : MINUTES;
  const out: StatsSql = {
    ...raw,
    priorities: counted(prioTable, q, cond, 'priority', 'priority', 'priority', (u) => `SELECT priority, SUM(c) AS n FROM (${u}) x GROUP BY priority`),
    rules: counted(RULES, q, cond, 'rule AS name', 'rule AS name', 'rule', (u) => `SELECT name, SUM(c) AS n FROM (${u}) x GROUP BY name ORDER BY n DESC, name LIMIT ?`, [top]),
  };
  if (q.bucketMs !== undefined) {
    const t = !byRule && q.bucketMs % MINUTE === 0 ? MINUTES : q.bucketMs % HOUR === 0 ? RULES : undefined;
    // a width that is not a whole number of granules cannot be summed from them
    if (t) {
      const b = (col: string) => `(${col} / CAST(? AS BIGINT)) * CAST(? AS BIGINT) AS b, priority`;
      const s = counted(t, q, cond, b('t'), b('ts'), 'b, priority', (u) => `SELECT b, priority, SUM(c) AS n FROM (${u}) x GROUP BY b, priority ORDER BY b, priority LIMIT 100000`);
      // the bucket width is bound before each part's own parameters
      out.buckets = { text: s.text, params: bucketParams(t, q, cond, q.bucketMs) };
    }
  }
  if (byRule || byPriority) return out;
  out.containers = counted(CONTAINERS, q, none, 'container_id AS name, container_name AS label', "container_id AS name, COALESCE(container_name, '') AS label", 'container_id, container_name',
    (u) => `SELECT name, SUM(c) AS n, NULLIF(MAX(label), '') AS label FROM (${u}) x GROUP BY name ORDER BY n DESC, name LIMIT ?`, [top]);
  out.namespaces = counted(NAMESPACES, q, none, 'namespace AS name', 'namespace AS name', 'namespace', (u) => `SELECT name, SUM(c) AS n FROM (${u}) x GROUP BY name ORDER BY n DESC, name LIMIT ?`, [top]);
  out.pods = counted(PODS, q, none, 'namespace, pod', "COALESCE(namespace, '') AS namespace, pod", 'namespace, pod',
    (u) => `SELECT namespace, pod, SUM(c) AS n FROM (${u}) x GROUP BY namespace, pod ORDER BY n DESC, namespace, pod LIMIT ?`, [top]);
  return out;
}

/** Parameters of the bucket query: each part binds the width twice, then its range and conditions. */
function bucketParams(t: SummaryTable, q: AlertFilter, cond: Sql, width: number): unknown[] {
  const s = split(q, t.granule);
  const p: unknown[] = [];
  if (s.whole) p.push(width, width, ...s.whole.params, ...cond.params);
  if (s.edges) p.push(width, width, ...s.edges.params, ...cond.params);
  return p;
}
