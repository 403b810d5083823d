/**
 * Questions asked of the audit trail: what did this container / pod / process do, when, and
 * which alerts belong to it. Alerts and activity are linked by container (or by pid on the
 * host) within a time window, so the link holds whichever was recorded first.
 * @module
 */
import { VigilError, parseDuration } from '../core/index.ts';
import type { Activity, ActivityKind, ActivityQuery, Store, StoredAlert } from '../store/index.ts';
import { shortContainerId } from './recorder.ts';

/** What `vigil audit query` asks (strings as typed on the command line). */
export interface AuditQuery {
  container?: string;
  /** `namespace/name` or just `name`. */
  pod?: string;
  /** Duration back from now (`1h`) or an ISO time. */
  since?: string;
  until?: string;
  types?: string[];
  pid?: number;
  limit?: number;
  now?: number;
}

const KINDS: ActivityKind[] = ['exec', 'net', 'file'];

/** A time bound: a duration before `now`, an ISO-8601 time, or epoch ms. */
export function parseTimeBound(v: string, now: number, what: string): number {
  const d = parseDuration(v);
  if (d !== undefined) return now - d;
  const t = Date.parse(v);
  if (Number.isFinite(t)) return t;
  throw new VigilError('AUDIT_BAD_TIME', `--${what}: expected a duration like 1h or an ISO time, got ${JSON.stringify(v)}`);
}

/** Turns command-line style filters into a store query (throws `VigilError` on bad values). */
export function toActivityQuery(q: AuditQuery): ActivityQuery {
  const now = q.now ?? Date.now();
  const out: ActivityQuery = {};
  if (q.container) out.containerId = shortContainerId(q.container);
  if (q.pod) {
    const i = q.pod.indexOf('/');
    if (i >= 0) {
      out.namespace = q.pod.slice(0, i);
      out.pod = q.pod.slice(i + 1);
    } else out.pod = q.pod;
    if (!out.pod) throw new VigilError('AUDIT_BAD_POD', `--pod: expected NAMESPACE/NAME, got ${JSON.stringify(q.pod)}`);
  }
  if (q.since) out.since = parseTimeBound(q.since, now, 'since');
  if (q.until) out.until = parseTimeBound(q.until, now, 'until');
  if (q.types?.length) {
    const ks = q.types.flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
    for (const k of ks) if (!KINDS.includes(k as ActivityKind)) throw new VigilError('AUDIT_BAD_TYPE', `--type: expected exec, net or file, got ${JSON.stringify(k)}`);
    out.kinds = ks as ActivityKind[];
  }
  if (q.pid !== undefined) out.pid = q.pid;
  if (q.limit !== undefined) out.limit = q.limit;
  return out;
}

/** Activity with the ids of alerts linked to it. */
export interface LinkedActivity extends Activity {
  alertIds: string[];
}

function sameActor(a: Activity, al: StoredAlert): boolean {
  const f = al.alert.output_fields ?? {};
  const cid = typeof f['container.id'] === 'string' ? (f['container.id'] as string) : undefined;
  if (a.containerId) return cid === a.containerId;
  if (cid && cid !== 'host') return false;
  const pid = Number(f['proc.pid']);
  const ppid = Number(f['proc.ppid']);
  return pid === a.pid || ppid === a.pid;
}

/** Links each record to alerts of the same container (or host process) within `windowMs`. */
export async function linkAlerts(store: Store, acts: Activity[], windowMs = 300_000): Promise<LinkedActivity[]> {
  if (!acts.length) return [];
  const lo = Math.min(...acts.map((a) => a.ts)) - windowMs;
  const hi = Math.max(...acts.map((a) => a.ts)) + windowMs;
  const alerts = await store.queryAlerts({ since: lo, until: hi + 1, limit: 100_000 });
  return acts.map((a) => ({
    ...a,
    alertIds: alerts.filter((al) => Math.abs(al.ts - a.ts) <= windowMs && sameActor(a, al)).map((al) => al.id),
  }));
}

/** The activity around one alert: same container (or same host process) within `windowMs`. */
export async function activityForAlert(store: Store, alertId: string, windowMs = 300_000): Promise<Activity[]> {
  const al = await store.getAlert(alertId);
  if (!al) throw new VigilError('AUDIT_NO_ALERT', `no alert with id ${alertId}`);
  const f = al.alert.output_fields ?? {};
  const cid = typeof f['container.id'] === 'string' && f['container.id'] !== 'host' ? (f['container.id'] as string) : undefined;
  const q: ActivityQuery = { since: al.ts - windowMs, until: al.ts + windowMs + 1 };
  if (cid) q.containerId = cid;
  else if (Number.isFinite(Number(f['proc.pid']))) q.pid = Number(f['proc.pid']);
  else return [];
  return store.queryActivity(q);
}

/** Runs a command-line query, optionally with alert links. */
export async function runAuditQuery(store: Store, q: AuditQuery, opts: { alerts?: boolean; windowMs?: number } = {}): Promise<LinkedActivity[] | Activity[]> {
  const acts = await store.queryActivity(toActivityQuery(q));
  return opts.alerts ? linkAlerts(store, acts, opts.windowMs) : acts;
}
