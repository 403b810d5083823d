/**
 * The Store logic both databases share. A subclass supplies three primitives: run a query,
 * run statements atomically, close. Everything else (outbox, activity, retention) is here.
 * @module
 */
import { PRIORITIES, type Priority } from '../core/index.ts';
import type {
  Activity, ActivityQuery, AlertPage, AlertQuery, AlertStats, AlertStatsQuery, Delivery, NameCount,
  PruneResult, Retention, Store, StoredAlert,
} from './types.ts';
import { alertPageSql, checkAlertFilter, encodeCursor, type TextMatch } from './alert-query.ts';
import { summaryAdd, summaryClear, summaryRebuild, summaryStatsSql, summarySubtract, summaryVacuum } from './alert-summary.ts';
import { MIGRATIONS, VERSION_TABLE } from './schema.ts';
import { parseJsonExact } from './json.ts';
import {
  ACTIVITY_COLUMNS, ALERT_COLUMNS, activityFilter, activityFromRow, activityRow, alertFromRow,
  alertRow, type Sql,
} from './sql.ts';

/** Statements `summarySubtract` adds before a delete (one per summary table and granule). */
const SUMMARY_STEPS = summarySubtract({ text: '', params: [] }).length;

/** Rows per multi-row insert or IN list, well under both databases' parameter limits. */
const CHUNK = 500;

function chunks<T>(xs: T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

function marks(n: number): string {
  return new Array(n).fill('?').join(', ');
}

/** Base class: a `Store` over any SQL database with `?` placeholders. */
export abstract class SqlStore implements Store {
  abstract readonly kind: string;
  /** Runs one query and returns its rows. */
  protected abstract all(q: Sql): Promise<Record<string, unknown>[]>;
  /** Runs statements in one transaction; returns each statement's affected row count. */
  protected abstract batch(qs: Sql[]): Promise<number[]>;
  /** The dialect's auto-increment key type, substituted for `{serial}` in migrations. */
  protected abstract readonly serial: string;
  /** The dialect's condition for a case-insensitive substring of the alert output. */
  protected abstract readonly textMatch: TextMatch;
  /** The dialect's expression for the alert's output line. */
  protected abstract readonly outputSql: string;
  /** Rows a text search reads in page order before it asks the text index (see `textFromWindow`). */
  protected textWindowRows = 2000;
  abstract close(): Promise<void>;

  /** Inserts rows; subclasses may use prepared single-row statements instead of one big one. */
  protected insertRows(table: string, columns: string, rows: unknown[][]): Sql[] {
    const width = columns.split(',').length;
    return chunks(rows).map((c) => ({
      text: `INSERT INTO ${table} (${columns}) VALUES ${c.map(() => `(${marks(width)})`).join(', ')}`,
      params: c.flat(),
    }));
  }

  /**
   * Applies the pending migrations in one transaction (all or none), then, in the same
   * transaction, refills the summary tables once if any of them asked (see `Migration`).
   */
  async migrate(): Promise<number> {
    await this.batch([{ text: VERSION_TABLE, params: [] }]);
    const rows = await this.all({ text: 'SELECT MAX(version) AS v FROM vigil_schema', params: [] });
    let current = Number(rows[0]?.v ?? 0);
    const stmts: Sql[] = [];
    let summaries = false;
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      const own = this.kind === 'postgres' ? m.postgres : m.sqlite;
      stmts.push(...[...m.statements, ...(own ?? [])].map((s) => ({ text: s.replace('{serial}', this.serial), params: [] })));
      stmts.push({
        text: 'INSERT INTO vigil_schema (version, name, applied_at) VALUES (?, ?, ?)',
        params: [m.version, m.name, Date.now()],
      });
      summaries ||= m.summaries === true;
      current = m.version;
    }
    if (summaries) stmts.push(...summaryRebuild());
    if (stmts.length) await this.batch(stmts);
    return current;
  }

  async addAlerts(alerts: StoredAlert[], channels: string[]): Promise<void> {
    if (alerts.length === 0) return;
    const rows = alerts.map(alertRow);
    const qs = this.insertRows('alerts', ALERT_COLUMNS, rows);
    // the overview's counts change in the same transaction as the rows they count
    qs.push(...summaryAdd(rows, (t, c, r) => this.insertRows(t, c, r)));
    if (channels.length) {
      const rows: unknown[][] = [];
      for (const a of alerts) for (const c of channels) rows.push([a.id, c, 0, 0]);
      qs.push(...this.insertRows('deliveries', 'alert_id, channel, attempts, next_at', rows));
    }
    await this.batch(qs);
  }

  async getAlert(id: string): Promise<StoredAlert | undefined> {
    const rows = await this.all({ text: 'SELECT id, ts, body FROM alerts WHERE id = ?', params: [id] });
    return rows[0] ? alertFromRow(rows[0] as { id: string; ts: unknown; body: string }) : undefined;
  }

  async queryAlerts(q: AlertQuery = {}): Promise<StoredAlert[]> {
    return (await this.pageAlerts(q)).alerts;
  }

  async pageAlerts(q: AlertQuery = {}): Promise<AlertPage> {
    if (q.text && q.limit !== undefined) {
      checkAlertFilter(q);
      const near = await this.textFromWindow(q as AlertQuery & { text: string; limit: number });
      if (near) return near;
    }
    const f = alertPageSql(q, this.textMatch);
    const rows = await this.all({ text: `SELECT id, ts, body FROM alerts ${f.text}`, params: f.params });
    const alerts = rows.map((r) => alertFromRow(r as { id: string; ts: unknown; body: string }));
    if (q.limit === undefined || alerts.length <= q.limit) return { alerts };
    alerts.length = q.limit;
    const last = alerts[alerts.length - 1];
    return last ? { alerts, next: encodeCursor(last.ts, last.id) } : { alerts };
  }

  /**
   * A text search page from the first `textWindowRows` alerts of the other filters, in page
   * order, matched here. A common word fills a page from a few hundred rows, where the text
   * index would hand over every one of its hits (a tenth of a million-row store) to be sorted;
   * undefined when the window holds too few matches and more rows follow (the index answers).
   */
  private async textFromWindow(q: AlertQuery & { text: string; limit: number }): Promise<AlertPage | undefined> {
    const { text, ...rest } = q;
    const f = alertPageSql({ ...rest, limit: this.textWindowRows - 1 }, this.textMatch);
    const rows = await this.all({ text: `SELECT id, ${this.outputSql} AS output FROM alerts ${f.text}`, params: f.params });
    const needle = text.toLowerCase();
    const hits = rows.filter((r) => typeof r.output === 'string' && r.output.toLowerCase().includes(needle)).map((r) => r.id as string);
    if (hits.length <= q.limit && rows.length >= this.textWindowRows) return undefined;
    const ids = hits.slice(0, q.limit);
    const got = new Map<string, StoredAlert>();
    for (const c of chunks(ids)) {
      for (const r of await this.all({ text: `SELECT id, ts, body FROM alerts WHERE id IN (${marks(c.length)})`, params: c })) {
        got.set(r.id as string, alertFromRow(r as { id: string; ts: unknown; body: string }));
      }
    }
    // a row pruned between the two reads is left out, as if it had gone a moment earlier
    const alerts = ids.flatMap((id) => got.get(id) ?? []);
    const last = alerts[alerts.length - 1];
    return hits.length > q.limit && last ? { alerts, next: encodeCursor(last.ts, last.id) } : { alerts };
  }

  async alertStats(q: AlertStatsQuery = {}): Promise<AlertStats> {
    const s = summaryStatsSql(q, this.textMatch);
    const name = (r: Record<string, unknown>): NameCount => {
      const x: NameCount = { name: String(r.name), count: Number(r.n) };
      if (r.label !== null && r.label !== undefined) x.label = String(r.label);
      return x;
    };
    const prio = (rank: unknown): Priority => PRIORITIES[Number(rank)] ?? 'Debug';
    const out: AlertStats = {
      total: 0,
      byPriority: Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>,
      buckets: [],
      topRules: (await this.all(s.rules)).map(name),
      topContainers: (await this.all(s.containers)).map(name),
      topNamespaces: (await this.all(s.namespaces)).map(name),
      topPods: (await this.all(s.pods)).map((r) => ({
        name: r.namespace === null || r.namespace === '' ? String(r.pod) : `${String(r.namespace)}/${String(r.pod)}`,
        count: Number(r.n),
      })),
    };
    for (const r of await this.all(s.priorities)) {
      out.byPriority[prio(r.priority)] += Number(r.n);
      out.total += Number(r.n);
    }
    if (s.buckets) {
      for (const r of await this.all(s.buckets)) {
        const start = Number(r.b);
        let b = out.buckets[out.buckets.length - 1];
        if (!b || b.start !== start) out.buckets.push((b = { start, total: 0, byPriority: {} }));
        const p = prio(r.priority);
        b.byPriority[p] = (b.byPriority[p] ?? 0) + Number(r.n);
        b.total += Number(r.n);
      }
    }
    return out;
  }

  async dueDeliveries(channel: string, now: number, limit: number, exclude?: ReadonlySet<string>): Promise<Delivery[]> {
    // fetch past the in-flight ids instead of sending them to the database as a list
    const skip = exclude?.size ?? 0;
    const rows = await this.all({
      text: `SELECT d.alert_id, d.attempts, d.next_at, d.last_error, a.body FROM deliveries d
        JOIN alerts a ON a.id = d.alert_id WHERE d.channel = ? AND d.next_at <= ?
        ORDER BY d.next_at, d.alert_id LIMIT ?`,
      params: [channel, now, limit + skip],
    });
    const out: Delivery[] = [];
    for (const r of rows) {
      const id = r.alert_id as string;
      if (exclude?.has(id)) continue;
      const d: Delivery = { alertId: id, channel, attempts: Number(r.attempts), nextAt: Number(r.next_at), alert: parseJsonExact(r.body as string) as Delivery['alert'] };
      if (r.last_error !== null) d.lastError = r.last_error as string;
      out.push(d);
      if (out.length >= limit) break;
    }
    return out;
  }

  async ackDeliveries(channel: string, alertIds: string[]): Promise<void> {
    if (alertIds.length === 0) return;
    await this.batch(chunks(alertIds).map((c) => ({
      text: `DELETE FROM deliveries WHERE channel = ? AND alert_id IN (${marks(c.length)})`,
      params: [channel, ...c],
    })));
  }

  async retryDeliveries(channel: string, alertIds: string[], nextAt: number, error: string): Promise<void> {
    if (alertIds.length === 0) return;
    await this.batch(chunks(alertIds).map((c) => ({
      text: `UPDATE deliveries SET attempts = attempts + 1, next_at = ?, last_error = ?
        WHERE channel = ? AND alert_id IN (${marks(c.length)})`,
      params: [nextAt, error.slice(0, 500), channel, ...c],
    })));
  }

  async pendingCount(channel?: string): Promise<number> {
    const rows = channel === undefined
      ? await this.all({ text: 'SELECT COUNT(*) AS n FROM deliveries', params: [] })
      : await this.all({ text: 'SELECT COUNT(*) AS n FROM deliveries WHERE channel = ?', params: [channel] });
    return Number(rows[0].n);
  }

  async nextDueAt(channel: string): Promise<number | undefined> {
    const rows = await this.all({ text: 'SELECT MIN(next_at) AS t FROM deliveries WHERE channel = ?', params: [channel] });
    return rows[0].t === null || rows[0].t === undefined ? undefined : Number(rows[0].t);
  }

  async addActivity(records: Activity[]): Promise<void> {
    if (records.length === 0) return;
    await this.batch(this.insertRows('activity', ACTIVITY_COLUMNS, records.map(activityRow)));
  }

  async queryActivity(q: ActivityQuery = {}): Promise<Activity[]> {
    const f = activityFilter(q);
    const rows = await this.all({ text: `SELECT * FROM activity ${f.text}`, params: f.params });
    return rows.map(activityFromRow);
  }

  async prune(r: Retention): Promise<PruneResult> {
    const res: PruneResult = { alerts: 0, activity: 0 };
    const pending = 'id NOT IN (SELECT alert_id FROM deliveries)';
    if (r.maxAgeMs !== undefined) {
      const cutoff = (r.now ?? Date.now()) - r.maxAgeMs;
      const old: Sql = { text: `ts < ? AND ${pending}`, params: [cutoff] };
      const counts = await this.batch([
        ...summarySubtract(old),
        { text: `DELETE FROM alerts WHERE ${old.text}`, params: old.params },
        { text: 'DELETE FROM activity WHERE ts < ?', params: [cutoff] },
        ...summaryVacuum(),
      ]);
      const [a, b] = counts.slice(SUMMARY_STEPS);
      res.alerts += a;
      res.activity += b;
    }
    if (r.maxBytes !== undefined) {
      for (;;) {
        const sum = await this.all({
          text: `SELECT (SELECT COALESCE(SUM(size), 0) FROM alerts) + (SELECT COALESCE(SUM(size), 0) FROM activity) AS n`,
          params: [],
        });
        let excess = Number(sum[0].n) - r.maxBytes;
        if (excess <= 0) break;
        // walk the oldest rows of both tables in time order until the excess is covered
        const olds = await this.all({ text: `SELECT id, ts, size FROM alerts WHERE ${pending} ORDER BY ts, id LIMIT ?`, params: [CHUNK] });
        const oldAct = await this.all({ text: 'SELECT id, ts, size FROM activity ORDER BY ts, id LIMIT ?', params: [CHUNK] });
        const merged = [
          ...olds.map((x) => ({ t: 'a' as const, id: x.id, ts: Number(x.ts), size: Number(x.size) })),
          ...oldAct.map((x) => ({ t: 'b' as const, id: x.id, ts: Number(x.ts), size: Number(x.size) })),
        ].sort((x, y) => x.ts - y.ts);
        if (merged.length === 0) break;
        const delA: unknown[] = [];
        const delB: unknown[] = [];
        for (const m of merged) {
          if (excess <= 0) break;
          (m.t === 'a' ? delA : delB).push(m.t === 'a' ? m.id : Number(m.id));
          excess -= m.size;
        }
        const qs: Sql[] = [];
        const picked: Sql = { text: `id IN (${marks(delA.length)})`, params: delA };
        if (delA.length) qs.push(...summarySubtract(picked), { text: `DELETE FROM alerts WHERE ${picked.text}`, params: delA });
        const activityAt = qs.length;
        if (delB.length) qs.push({ text: `DELETE FROM activity WHERE id IN (${marks(delB.length)})`, params: delB });
        if (delA.length) qs.push(...summaryVacuum());
        const counts = await this.batch(qs);
        res.alerts += delA.length ? counts[SUMMARY_STEPS] : 0;
        res.activity += delB.length ? counts[activityAt] : 0;
      }
    }
    return res;
  }

  async clear(): Promise<void> {
    await this.batch([...['deliveries', 'alerts', 'activity'].map((t) => ({ text: `DELETE FROM ${t}`, params: [] })), ...summaryClear()]);
  }
}
