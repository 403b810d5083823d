/**
 * SQL shared by both stores: filters written with `?` placeholders (PostgreSQL's driver turns
 * them into `$n`), and the mapping between rows and objects.
 * @module
 */
import { PRIORITIES, type Alert, type Priority } from '../core/index.ts';
import type { Activity, ActivityQuery, StoredAlert } from './types.ts';
import { parseJsonExact, stringifyExact } from './json.ts';

/** A SQL fragment with its parameters. */
export interface Sql {
  text: string;
  params: unknown[];
}

/** Numeric severity: 0 = Emergency ... 7 = Debug (Falco's order). */
export function priorityRank(p: Priority): number {
  const i = PRIORITIES.indexOf(p);
  return i < 0 ? PRIORITIES.length : i;
}

/** The row values for an alert insert, in `ALERT_COLUMNS` order. */
export const ALERT_COLUMNS =
  'id, ts, rule, priority, source, hostname, container_id, pid, body, size, container_name, pod, namespace';

/** A field value as a searchable string: strings and numbers only (lists, null: absent). */
function text(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

/** Pod and namespace of an alert: syscall alerts name them in k8s.*, audit alerts in ka.target.*. */
export function alertPlace(f: Record<string, unknown>): { pod: string | null; namespace: string | null } {
  const pod = text(f['k8s.pod.name']) ?? (f['ka.target.resource'] === 'pods' ? text(f['ka.target.name']) : null);
  return { pod, namespace: text(f['k8s.ns.name']) ?? text(f['ka.target.namespace']) };
}

/** Values for one alert row. */
export function alertRow(a: StoredAlert): unknown[] {
  const body = stringifyExact(a.alert);
  const f = a.alert.output_fields ?? {};
  const cid = f['container.id'];
  const pid = f['proc.pid'];
  const place = alertPlace(f);
  return [
    a.id,
    a.ts,
    a.alert.rule,
    priorityRank(a.alert.priority),
    a.alert.source,
    a.alert.hostname,
    typeof cid === 'string' ? cid : null,
    typeof pid === 'number' ? pid : typeof pid === 'string' && /^\d+$/.test(pid) ? Number(pid) : null,
    body,
    Buffer.byteLength(body),
    text(f['container.name']),
    place.pod,
    place.namespace,
  ];
}

/** Rebuilds a stored alert from a row with `id, ts, body`. */
export function alertFromRow(r: { id: string; ts: unknown; body: string }): StoredAlert {
  return { id: r.id, ts: Number(r.ts), alert: parseJsonExact(r.body) as Alert };
}

/** Activity insert columns, in `activityRow` order. */
export const ACTIVITY_COLUMNS =
  'kind, ts, ts_ns, pid, ppid, comm, exe, cmdline, username, uid, cwd, parent_chain, container_id, pod, namespace, detail, size';

/** Values for one activity row. */
export function activityRow(a: Activity): unknown[] {
  const chain = a.parentChain ? JSON.stringify(a.parentChain) : null;
  const detail = a.detail ? JSON.stringify(a.detail) : null;
  const size = (a.cmdline?.length ?? 0) + (chain?.length ?? 0) + (detail?.length ?? 0) + 64;
  return [
    a.kind, a.ts, a.tsNs, a.pid, a.ppid ?? null, a.comm ?? null, a.exe ?? null, a.cmdline ?? null,
    a.user ?? null, a.uid ?? null, a.cwd ?? null, chain, a.containerId ?? null, a.pod ?? null,
    a.namespace ?? null, detail, size,
  ];
}

/** Rebuilds an activity record from a row (absent values are left out). */
export function activityFromRow(r: Record<string, unknown>): Activity {
  const a: Activity = {
    id: Number(r.id),
    kind: r.kind as Activity['kind'],
    ts: Number(r.ts),
    tsNs: String(r.ts_ns),
    pid: Number(r.pid),
  };
  if (r.ppid !== null) a.ppid = Number(r.ppid);
  if (r.comm !== null) a.comm = r.comm as string;
  if (r.exe !== null) a.exe = r.exe as string;
  if (r.cmdline !== null) a.cmdline = r.cmdline as string;
  if (r.username !== null) a.user = r.username as string;
  if (r.uid !== null) a.uid = Number(r.uid);
  if (r.cwd !== null) a.cwd = r.cwd as string;
  if (r.parent_chain !== null) a.parentChain = JSON.parse(r.parent_chain as string);
  if (r.container_id !== null) a.containerId = r.container_id as string;
  if (r.pod !== null) a.pod = r.pod as string;
  if (r.namespace !== null) a.namespace = r.namespace as string;
  if (r.detail !== null) a.detail = JSON.parse(r.detail as string);
  return a;
}

/** WHERE + ORDER + LIMIT for an activity query. */
export function activityFilter(q: ActivityQuery): Sql {
  const w: string[] = [];
  const p: unknown[] = [];
  const add = (cond: string, ...values: unknown[]): void => {
    w.push(cond);
    p.push(...values);
  };
  if (q.kinds?.length) add(`kind IN (${q.kinds.map(() => '?').join(', ')})`, ...q.kinds);
  if (q.since !== undefined) add('ts >= ?', q.since);
  if (q.until !== undefined) add('ts < ?', q.until);
  if (q.containerId !== undefined) add('container_id = ?', q.containerId);
  if (q.namespace !== undefined) add('namespace = ?', q.namespace);
  if (q.pod !== undefined) add('pod = ?', q.pod);
  if (q.pid !== undefined) add('pid = ?', q.pid);
  if (q.afterId !== undefined) add('id > ?', q.afterId);
  const dir = q.newestFirst ? 'DESC' : 'ASC';
  // id breaks ties so records with equal times keep insertion order
  let text = `${w.length ? 'WHERE ' + w.join(' AND ') : ''} ORDER BY ${q.afterId !== undefined ? 'id' : 'ts'} ${dir}, id ${dir}`;
  if (q.limit !== undefined) {
    text += ' LIMIT ?';
    p.push(q.limit);
  }
  return { text, params: p };
}
