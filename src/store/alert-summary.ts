/**
 * Pre-aggregated alert counts, so the overview does not count a million rows per request.
 * Five small tables hold counts per time granule: by priority (per minute, hour and day), by
 * (priority, source, rule), by (priority, container), by (priority, namespace) and by
 * (priority, pod) (per hour and day). They change in the same transaction as the alerts they
 * count: an insert adds its batch's counts (summed here from the row values, a few upserts per
 * batch); a delete first subtracts the counts of the rows it removes (summed by SQL); a
 * migration refills them with one grouped INSERT ... SELECT per table and granule. One table
 * definition drives all three.
 *
 * A stats query is answered from them when its filter is one they carry (time, rule,
 * priority, source; container, namespace and pod lists: time and priority): whole days from
 * the day rows, the hours at the edges of the range from the hour rows, and so on down to the
 * alert rows for the partial granule at each end, in one UNION, so the answer is exact. Other
 * filters (container, pod, namespace, pid, text) count the rows themselves.
 * @module
 */
import { alertConditions, alertStatsSql, checkAlertFilter, type StatsSql, type TextMatch } from './alert-query.ts';
import { ALERT_COLUMNS, type Sql } from './sql.ts';
import type { AlertFilter, AlertStatsQuery } from './types.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * One summary table: counts at several time granules (`g`, coarsest last; rows of every
 * granule live side by side), keyed by columns each filled from the `alerts` column of the
 * same name ('' standing for absent: key columns are NOT NULL), counting the alerts whose
 * `need` column is present.
 */
interface SummaryTable {
  name: string;
  granules: number[];
  keys: string[];
  need?: string;
  /** SQL over `alerts` for `need`. */
  only?: string;
}

function table(name: string, granules: number[], keys: string[], need?: string): SummaryTable {
  return { name, granules, keys, need, only: need && `${need} IS NOT NULL` };
}

const PRIORITIES = table('alert_counts_priority', [MINUTE, HOUR, DAY], ['priority']);
const RULES = table('alert_counts_rule', [HOUR, DAY], ['priority', 'source', 'rule']);
// priority in every table (migration 5), so a priority-filtered overview is answered here too
const CONTAINERS = table('alert_counts_container', [HOUR, DAY], ['priority', 'container_id', 'container_name'], 'container_id');
const NAMESPACES = table('alert_counts_namespace', [HOUR, DAY], ['priority', 'namespace'], 'namespace');
const PODS = table('alert_counts_pod', [HOUR, DAY], ['priority', 'namespace', 'pod'], 'pod');

/** Every summary table, in the order their rows are locked (the same in every transaction). */
export const SUMMARY_TABLES = [PRIORITIES, RULES, CONTAINERS, NAMESPACES, PODS];

/** A key column's value in SQL over `alerts`. */
const keySql = (k: string): string => (k === 'priority' ? k : `COALESCE(${k}, '')`);

const KEY_TYPES: Record<string, string> = { priority: 'INTEGER NOT NULL' };

/**
 * CREATE TABLE statements for summary tables named with their key columns (`priority` is an
 * integer, the rest text). SQLite keeps each table in its key order (WITHOUT ROWID): a
 * granule's rows are one contiguous run that carries its counts. Migrations pass the shapes
 * they shipped, so a later change of `SUMMARY_TABLES` does not rewrite an old migration.
 */
export function summaryTablesDdl(dialect: 'sqlite' | 'postgres', tables: Record<string, string[]>): string[] {
  return Object.entries(tables).map(([name, keys]) => {
    const cols = keys.map((k) => `${k} ${KEY_TYPES[k] ?? 'TEXT NOT NULL'}`);
    return `CREATE TABLE ${name} (g BIGINT NOT NULL, t BIGINT NOT NULL, ${cols.join(', ')}, n BIGINT NOT NULL, PRIMARY KEY (g, t, ${keys.join(', ')}))${dialect === 'sqlite' ? ' WITHOUT ROWID' : ''}`;
  });
}

/** The granule start of `col` (a time) in SQL: floor, also for times before 1970 (SQL `%` truncates). */
function granuleOf(g: number, col = 'ts'): string {
  return `(${col} - (((${col} % ${g}) + ${g}) % ${g}))`;
}

/** The clause that turns an insert into a summary table into adding to its counts. */
const addOnConflict = (t: SummaryTable): string => ` ON CONFLICT (g, t, ${t.keys.join(', ')}) DO UPDATE SET n = ${t.name}.n + excluded.n`;

/**
 * Subtracts the counts of the stored alerts matching `where` from every summary table: run
 * before a delete of those alerts, in its transaction (inserts use `summaryAdd`, migrations
 * `summaryRebuild`).
 */
export function summarySubtract(where: Sql): Sql[] {
  return SUMMARY_TABLES.flatMap((t) => t.granules.map((g) => {
    const ordinals = [0, 0, ...t.keys].map((_, i) => i + 1).join(', ');
    const cond = [`(${where.text})`, t.only].filter(Boolean).join(' AND ');
    // ORDER BY: rows are locked in key order, so concurrent writers (PostgreSQL) do not deadlock
    return {
      text: `INSERT INTO ${t.name} (g, t, ${t.keys.join(', ')}, n)
        SELECT ${g}, ${granuleOf(g)}, ${t.keys.map(keySql).join(', ')}, -COUNT(*) FROM alerts
        WHERE ${cond} GROUP BY ${ordinals} ORDER BY ${ordinals}${addOnConflict(t)}`,
      params: where.params,
    };
  }));
}

const COLUMN = Object.fromEntries(ALERT_COLUMNS.split(',').map((c, i) => [c.trim(), i]));

/**
 * The statements adding a batch of new alert rows (`alertRow` values) to the summary tables,
 * summed here so a batch costs one upsert per distinct key and granule; `insert` is the
 * store's multi-row (or prepared single-row) insert. Keys are sorted so writers lock rows in
 * the same order.
 */
export function summaryAdd(rows: unknown[][], insert: (table: string, columns: string, rows: unknown[][]) => Sql[]): Sql[] {
  const out: Sql[] = [];
  const ts = COLUMN.ts;
  for (const t of SUMMARY_TABLES) {
    const need = t.need === undefined ? undefined : COLUMN[t.need];
    const at = t.keys.map((k) => COLUMN[k]);
    const counts = new Map<string, unknown[]>();
    for (const r of rows) {
      if (need !== undefined && (r[need] === null || r[need] === undefined)) continue;
      for (const g of t.granules) {
        const key = [g, Math.floor((r[ts] as number) / g) * g, ...at.map((i) => r[i] ?? '')];
        const id = JSON.stringify(key);
        const have = counts.get(id);
        if (have) (have[have.length - 1] as number)++;
        else counts.set(id, [...key, 1]);
      }
    }
    // granule and time numerically, then the keys: the order the delete path's ORDER BY uses
    const sorted = [...counts.values()].sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number) || (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    for (const q of insert(t.name, ['g', 't', ...t.keys, 'n'].join(', '), sorted)) out.push({ text: q.text + addOnConflict(t), params: q.params });
  }
  return out;
}

/**
 * Fills the (emptied) summary tables from the stored alerts: per table, one INSERT ... SELECT
 * ... GROUP BY over the alerts for the finest granule, then each coarser granule summed from
 * the finer rows just written (thousands of rows, not the alerts again). Run by migrations
 * that create or reshape summary tables, once however many of them are pending.
 */
export function summaryRebuild(): Sql[] {
  const out = summaryClear();
  for (const t of SUMMARY_TABLES) {
    const keys = t.keys.join(', ');
    const ordinals = [0, 0, ...t.keys].map((_, i) => i + 1).join(', ');
    const [fine, ...coarser] = t.granules;
    out.push({
      text: `INSERT INTO ${t.name} (g, t, ${keys}, n) SELECT ${fine}, ${granuleOf(fine)}, ${t.keys.map(keySql).join(', ')}, COUNT(*) FROM alerts
        ${t.only ? `WHERE ${t.only}` : ''} GROUP BY ${ordinals} ORDER BY ${ordinals}`,
      params: [],
    });
    let finer = fine;
    for (const g of coarser) {
      out.push({
        text: `INSERT INTO ${t.name} (g, t, ${keys}, n) SELECT ${g}, ${granuleOf(g, 't')}, ${keys}, SUM(n) FROM ${t.name}
          WHERE g = ${finer} GROUP BY ${ordinals} ORDER BY ${ordinals}`,
        params: [],
      });
      finer = g;
    }
  }
  return out;
}

/** Drops summary rows whose count reached zero (after deletions). */
export function summaryVacuum(): Sql[] {
  return SUMMARY_TABLES.map((t) => ({ text: `DELETE FROM ${t.name} WHERE n = 0`, params: [] }));
}

/** Empties every summary table. */
export function summaryClear(): Sql[] {
  return SUMMARY_TABLES.map((t) => ({ text: `DELETE FROM ${t.name}`, params: [] }));
}

/** A part of a time range: whole granules `g` of a summary table, or (no `g`) alert rows. */
interface Piece {
  g?: number;
  lo?: number;
  hi?: number;
}

/**
 * Splits [lo, hi) into whole granules of the coarsest granule that fits, the rest (the edges)
 * into whole granules of the next finer one, and so on; what no granule covers is left to the
 * alert rows. Unbounded ends stay unbounded.
 */
function pieces(lo: number | undefined, hi: number | undefined, granules: number[]): Piece[] {
  if (granules.length === 0) return [{ lo, hi }];
  const g = granules[granules.length - 1];
  const finer = granules.slice(0, -1);
  const a = lo === undefined ? undefined : Math.ceil(lo / g) * g;
  const b = hi === undefined ? undefined : Math.floor(hi / g) * g;
  if (a !== undefined && b !== undefined && a >= b) return pieces(lo, hi, finer);
  const out: Piece[] = [{ g, lo: a, hi: b }];
  if (lo !== undefined && lo < a!) out.push(...pieces(lo, a, finer));
  if (hi !== undefined && b! < hi) out.push(...pieces(b, hi, finer));
  return out;
}

const where = (...xs: (string | undefined)[]): string => {
  const w = xs.filter(Boolean);
  return w.length ? `WHERE ${w.join(' AND ')}` : '';
};

/** What `counted` selects: the same columns from a summary table (`sum`) and from `alerts` (`raw`). */
interface Counted {
  sum: string;
  raw: string;
  /** Parameters of the select lists, bound before each part's own. */
  params?: unknown[];
  group: string;
  /** Groups and orders the union of the parts (each selects its count as `c`). */
  outer: (union: string) => string;
  tail?: unknown[];
}

/** One count query over a summary table's granules and the alert rows, exact for any range. */
function counted(t: SummaryTable, granules: number[], q: AlertFilter, cond: Sql, c: Counted): Sql {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const p of pieces(q.since, q.until, granules)) {
    const col = p.g === undefined ? 'ts' : 't';
    const range: string[] = [];
    const rp: unknown[] = [];
    if (p.lo !== undefined) {
      range.push(`${col} >= ?`);
      rp.push(p.lo);
    }
    if (p.hi !== undefined) {
      range.push(`${col} < ?`);
      rp.push(p.hi);
    }
    if (p.g !== undefined) {
      parts.push(`SELECT ${c.sum}, SUM(n) AS c FROM ${t.name} ${where('g = ?', ...range, cond.text)} GROUP BY ${c.group}`);
      params.push(...(c.params ?? []), p.g, ...rp, ...cond.params);
    } else {
      parts.push(`SELECT ${c.raw}, COUNT(*) AS c FROM alerts ${where(...range, cond.text, t.only)} GROUP BY ${c.group}`);
      params.push(...(c.params ?? []), ...rp, ...cond.params);
    }
  }
  return { text: c.outer(parts.join(' UNION ALL ')), params: [...params, ...(c.tail ?? [])] };
}

const topOf = (name: string) => (u: string) => `SELECT ${name}, SUM(c) AS n FROM (${u}) x GROUP BY ${name} ORDER BY n DESC, ${name} LIMIT ?`;

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
  // the conditions besides time: the summary tables name these columns as `alerts` does
  const cond = alertConditions({ rule: q.rule, source: q.source, minPriority: q.minPriority, priority: q.priority }, match);
  const prio = byRule ? RULES : PRIORITIES;
  const out: StatsSql = {
    ...raw,
    priorities: counted(prio, prio.granules, q, cond, { sum: 'priority', raw: 'priority', group: 'priority', outer: (u) => `SELECT priority, SUM(c) AS n FROM (${u}) x GROUP BY priority` }),
    rules: counted(RULES, RULES.granules, q, cond, { sum: 'rule AS name', raw: 'rule AS name', group: 'rule', outer: topOf('name'), tail: [top] }),
  };
  if (q.bucketMs !== undefined) {
    // only granules that divide the bucket width add up to whole buckets (none: rows only)
    const width = q.bucketMs;
    const b = (col: string) => `(${col} / CAST(? AS BIGINT)) * CAST(? AS BIGINT) AS b, priority`;
    out.buckets = counted(prio, prio.granules.filter((g) => width % g === 0), q, cond, {
      sum: b('t'), raw: b('ts'), params: [width, width], group: 'b, priority',
      outer: (u) => `SELECT b, priority, SUM(c) AS n FROM (${u}) x GROUP BY b, priority ORDER BY b, priority LIMIT 100000`,
    });
  }
  // the container, namespace and pod tables carry priority but not rule or source
  if (byRule) return out;
  out.containers = counted(CONTAINERS, CONTAINERS.granules, q, cond, {
    sum: 'container_id AS name, container_name AS label', raw: "container_id AS name, COALESCE(container_name, '') AS label", group: 'container_id, container_name',
    outer: (u) => `SELECT name, SUM(c) AS n, NULLIF(MAX(label), '') AS label FROM (${u}) x GROUP BY name ORDER BY n DESC, name LIMIT ?`, tail: [top],
  });
  out.namespaces = counted(NAMESPACES, NAMESPACES.granules, q, cond, { sum: 'namespace AS name', raw: 'namespace AS name', group: 'namespace', outer: topOf('name'), tail: [top] });
  out.pods = counted(PODS, PODS.granules, q, cond, {
    sum: 'namespace, pod', raw: "COALESCE(namespace, '') AS namespace, pod", group: 'namespace, pod',
    outer: (u) => `SELECT namespace, pod, SUM(c) AS n FROM (${u}) x GROUP BY namespace, pod ORDER BY n DESC, namespace, pod LIMIT ?`, tail: [top],
  });
  return out;
}
