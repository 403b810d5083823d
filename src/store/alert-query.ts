/**
 * Alert search in SQL: validation of a query, the WHERE clause both databases share, keyset
 * cursors over (ts, id), and the aggregate queries of the overview. The only dialect
 * difference, the full-text match, is passed in by the store.
 * @module
 */
import { PRIORITIES, VigilError, type Priority } from '../core/index.ts';
import type { AlertFilter, AlertQuery, AlertStatsQuery } from './types.ts';
import { priorityRank, type Sql } from './sql.ts';

/** A dialect's full-text condition for a case-insensitive substring of the output. */
export type TextMatch = (text: string) => Sql;

/** Largest page and top-list length a caller may ask for. */
export const MAX_LIMIT = 100_000;

function bad(path: string, message: string): VigilError {
  return new VigilError('STORE_BAD_QUERY', message, { jsonPath: `$.${path}` });
}

function checkPriority(p: unknown, path: string): void {
  if (!PRIORITIES.includes(p as Priority)) throw bad(path, `unknown priority ${JSON.stringify(p)} (one of ${PRIORITIES.join(', ')})`);
}

function checkInt(v: unknown, path: string, min: number, max: number): void {
  if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)) {
    throw bad(path, `${path} must be an integer from ${min} to ${max}`);
  }
}

function checkString(v: unknown, path: string): void {
  if (v !== undefined && typeof v !== 'string') throw bad(path, `${path} must be a string`);
}

/** Throws `STORE_BAD_QUERY` (with the JSON path of the field) for a malformed filter. */
export function checkAlertFilter(q: AlertFilter & { limit?: number; bucketMs?: number; top?: number }): void {
  for (const k of ['since', 'until'] as const) {
    if (q[k] !== undefined && (typeof q[k] !== 'number' || !Number.isFinite(q[k]))) throw bad(k, `${k} must be epoch milliseconds`);
  }
  if (q.minPriority !== undefined) checkPriority(q.minPriority, 'minPriority');
  if (q.priority !== undefined) {
    const ps = Array.isArray(q.priority) ? q.priority : [q.priority];
    ps.forEach((p, i) => checkPriority(p, Array.isArray(q.priority) ? `priority[${i}]` : 'priority'));
  }
  if (q.rule !== undefined) {
    const rs = Array.isArray(q.rule) ? q.rule : [q.rule];
    rs.forEach((r, i) => checkString(r, Array.isArray(q.rule) ? `rule[${i}]` : 'rule'));
  }
  for (const k of ['source', 'containerId', 'container', 'pod', 'namespace', 'text'] as const) checkString(q[k], k);
  checkInt(q.pid, 'pid', 0, Number.MAX_SAFE_INTEGER);
  checkInt(q.limit, 'limit', 0, MAX_LIMIT);
  checkInt(q.top, 'top', 1, 1000);
  checkInt(q.bucketMs, 'bucketMs', 1, Number.MAX_SAFE_INTEGER);
}

/** The conditions of a filter (joined with AND by the caller), `?` placeholders. */
export function alertConditions(q: AlertFilter, match: TextMatch): Sql {
  const w: string[] = [];
  const p: unknown[] = [];
  const add = (cond: string, ...values: unknown[]): void => {
    w.push(cond);
    p.push(...values);
  };
  const inList = (col: string, xs: unknown[]): void => add(`${col} IN (${xs.map(() => '?').join(', ')})`, ...xs);
  if (q.since !== undefined) add('ts >= ?', q.since);
  if (q.until !== undefined) add('ts < ?', q.until);
  if (q.rule !== undefined) inList('rule', Array.isArray(q.rule) ? q.rule : [q.rule]);
  if (q.minPriority !== undefined) add('priority <= ?', priorityRank(q.minPriority));
  if (q.priority !== undefined) inList('priority', (Array.isArray(q.priority) ? q.priority : [q.priority]).map(priorityRank));
  if (q.source !== undefined) add('source = ?', q.source);
  if (q.containerId !== undefined) add('container_id = ?', q.containerId);
  if (q.container !== undefined) {
    // Falco stores the 12-character short id; a full id from `ctr`/`crictl` finds it too
    const short = /^[0-9a-f]{64}$/.test(q.container) ? q.container.slice(0, 12) : q.container;
    add('(container_id = ? OR container_id = ? OR container_name = ?)', q.container, short, q.container);
  }
  if (q.namespace !== undefined) add('namespace = ?', q.namespace);
  if (q.pod !== undefined) add('pod = ?', q.pod);
  if (q.pid !== undefined) add('pid = ?', q.pid);
  if (q.text !== undefined && q.text !== '') {
    const m = match(q.text);
    add(m.text, ...m.params);
  }
  return { text: w.join(' AND '), params: p };
}

/** An opaque cursor naming the last alert of a page. */
export function encodeCursor(ts: number, id: string): string {
  return Buffer.from(JSON.stringify([ts, id])).toString('base64url');
}

/** The (ts, id) of a cursor; `STORE_BAD_CURSOR` when it is not one of ours. */
export function decodeCursor(c: string): [number, string] {
  try {
    if (typeof c !== 'string' || c.length > 200) throw new Error('length');
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && Number.isFinite(v[0]) && typeof v[1] === 'string' && v[1].length <= 64) {
      return [v[0] as number, v[1] as string];
    }
  } catch {
    // fall through to the typed error
  }
  throw new VigilError('STORE_BAD_CURSOR', 'cursor is not one returned by this store', { jsonPath: '$.cursor' });
}

/** WHERE + ORDER + LIMIT for one page; fetches one extra row to know whether more follow. */
export function alertPageSql(q: AlertQuery, match: TextMatch): Sql {
  checkAlertFilter(q);
  const c = alertConditions(q, match);
  const w = c.text ? [c.text] : [];
  const p = [...c.params];
  const desc = !!q.newestFirst;
  if (q.cursor !== undefined) {
    const [ts, id] = decodeCursor(q.cursor);
    // the ts bound alone uses the (ts, id) index; the OR settles ties on ts by id
    w.push(desc ? 'ts <= ? AND (ts < ? OR id < ?)' : 'ts >= ? AND (ts > ? OR id > ?)');
    p.push(ts, ts, id);
  }
  const dir = desc ? 'DESC' : 'ASC';
  let text = `${w.length ? 'WHERE ' + w.join(' AND ') : ''} ORDER BY ts ${dir}, id ${dir}`;
  if (q.limit !== undefined) {
    text += ' LIMIT ?';
    p.push(q.limit + 1);
  }
  return { text, params: p };
}

/** The aggregate queries of `alertStats`; `buckets` only with a bucket width. */
export type StatsSql = Record<'priorities' | 'rules' | 'containers' | 'namespaces' | 'pods', Sql> & { buckets?: Sql };

/** The aggregate queries of `alertStats` over the alert rows themselves. */
export function alertStatsSql(q: AlertStatsQuery, match: TextMatch): StatsSql {
  checkAlertFilter(q);
  const c = alertConditions(q, match);
  const top = q.top ?? 10;
  const where = (extra?: string): string => {
    const w = [c.text, extra].filter(Boolean);
    return w.length ? `WHERE ${w.join(' AND ')}` : '';
  };
  const topOf = (key: string, notNull: string, label = ''): Sql => ({
    text: `SELECT ${key} AS name, COUNT(*) AS n${label} FROM alerts ${where(`${notNull} IS NOT NULL`)}
      GROUP BY ${key} ORDER BY n DESC, name LIMIT ?`,
    params: [...c.params, top],
  });
  return {
    priorities: { text: `SELECT priority, COUNT(*) AS n FROM alerts ${where()} GROUP BY priority`, params: c.params },
    // bucket width is cast so SQLite divides integers (numbers are bound as doubles)
    buckets: q.bucketMs === undefined ? undefined : {
      text: `SELECT (ts / CAST(? AS BIGINT)) * CAST(? AS BIGINT) AS b, priority, COUNT(*) AS n FROM alerts ${where()}
        GROUP BY b, priority ORDER BY b, priority LIMIT 100000`,
      params: [q.bucketMs, q.bucketMs, ...c.params],
    },
    rules: topOf('rule', 'rule'),
    // '' and absent read alike (no label; no namespace), as in the summary tables
    containers: topOf('container_id', 'container_id', ", NULLIF(MAX(container_name), '') AS label"),
    namespaces: topOf('namespace', 'namespace'),
    pods: {
      text: `SELECT COALESCE(namespace, '') AS namespace, pod, COUNT(*) AS n FROM alerts ${where('pod IS NOT NULL')}
        GROUP BY COALESCE(namespace, ''), pod ORDER BY n DESC, namespace, pod LIMIT ?`,
      params: [...c.params, top],
    },
  };
}
