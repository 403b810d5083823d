/**
 * Export of the audit trail to a SIEM: JSON lines over HTTP (one POST per batch,
 * `application/x-ndjson`) and RFC 5424 syslog with the record in structured data. An exporter
 * follows the store by record id, so each run continues where the last one stopped.
 * @module
 */
import { hostname } from 'node:os';
import { FACILITIES, formatRfc5424, createSyslogTransport, type SyslogTarget, type SyslogTransport } from '../outputs/index.ts';
import type { Activity, Store } from '../store/index.ts';

/** The SD-ID of activity records in syslog (enterprise number 32473 is the documentation one, RFC 5612). */
export const ACTIVITY_SD_ID = 'vigil-activity@32473';

/** One record as an export JSON object (stable keys, ISO time plus exact nanoseconds). */
export function activityJson(a: Activity): Record<string, unknown> {
  return {
    id: a.id, kind: a.kind, time: new Date(a.ts).toISOString(), ts_ns: a.tsNs,
    pid: a.pid, ppid: a.ppid, comm: a.comm, exe: a.exe, cmdline: a.cmdline, user: a.user, uid: a.uid, cwd: a.cwd,
    parent_chain: a.parentChain, container_id: a.containerId, pod: a.pod, namespace: a.namespace, detail: a.detail,
    host: hostname(),
  };
}

/** A one-line human summary of a record (CLI text output and the syslog MSG). */
export function describeActivity(a: Activity): string {
  const who = `${a.comm ?? '?'}[${a.pid}]${a.user ? ` user=${a.user}` : ''}`;
  const where = a.containerId ? ` container=${a.containerId}${a.pod ? ` pod=${a.namespace ?? ''}/${a.pod}` : ''}` : ' host';
  const d = (a.detail ?? {}) as Record<string, unknown>;
  let what = '';
  if (a.kind === 'exec') what = `exec ${a.cmdline ?? a.exe ?? a.comm}`;
  else if (a.kind === 'net') {
    what = `${d.direction === 'in' ? 'accept' : 'connect'} ${d.proto ?? ''} ${d.path ?? `${d.srcIp ?? ''}${d.srcPort !== undefined ? ':' + d.srcPort : ''} -> ${d.dstIp ?? ''}${d.dstPort !== undefined ? ':' + d.dstPort : ''}`}`;
  } else what = `${d.op} ${d.path}${d.target ? ` -> ${d.target}` : ''}`;
  return `${what} by ${who}${where}`;
}

/** The RFC 5424 message for a record: facility authpriv, severity informational. */
export function activitySyslog(a: Activity, appName = 'vigil'): string {
  const d = (a.detail ?? {}) as Record<string, string | number | undefined>;
  return formatRfc5424({
    facility: FACILITIES.authpriv, severity: 6, time: a.ts, hostname: hostname(), appName, procId: process.pid, msgId: `activity-${a.kind}`,
    sd: {
      [ACTIVITY_SD_ID]: {
        id: a.id, kind: a.kind, ts_ns: a.tsNs, pid: a.pid, ppid: a.ppid, comm: a.comm, exe: a.exe, cmdline: a.cmdline,
        user: a.user, uid: a.uid, cwd: a.cwd, container_id: a.containerId, pod: a.pod, namespace: a.namespace,
        parent_chain: a.parentChain?.map((p) => `${p.comm}[${p.pid}]`).join('<'),
        op: d.op, path: d.path, target: d.target, direction: d.direction, proto: d.proto,
        src: d.srcIp !== undefined ? `${d.srcIp}:${d.srcPort ?? ''}` : undefined,
        dst: d.dstIp !== undefined ? `${d.dstIp}:${d.dstPort ?? ''}` : undefined,
      },
    },
    msg: describeActivity(a),
  });
}

/** Where to export. */
export type ExportTarget =
  | { kind: 'http'; url: string; headers?: Record<string, string>; timeoutMs?: number }
  | ({ kind: 'syslog' } & SyslogTarget);

async function postLines(t: Extract<ExportTarget, { kind: 'http' }>, rows: Activity[]): Promise<void> {
  const body = rows.map((a) => JSON.stringify(activityJson(a))).join('\n') + '\n';
  const r = await fetch(t.url, {
    method: 'POST', body, headers: { 'Content-Type': 'application/x-ndjson', ...t.headers },
    signal: AbortSignal.timeout(t.timeoutMs ?? 10_000),
  });
  if (!r.ok) throw new Error(`HTTP ${r.status} from ${new URL(t.url).host}`);
}

/** Sends the store's activity after a cursor to a target, batch by batch; returns the new cursor. */
export class ActivityExporter {
  private syslog?: SyslogTransport;
  constructor(private readonly store: Store, private readonly target: ExportTarget, private readonly batchSize = 500) {}

  /** Exports everything with id greater than `afterId` (and at or after `since`); returns the last id sent. */
  async exportFrom(afterId = 0, since?: number): Promise<{ cursor: number; sent: number }> {
    let cursor = afterId;
    let sent = 0;
    for (;;) {
      const rows = await this.store.queryActivity({ afterId: cursor, since, limit: this.batchSize });
      if (!rows.length) return { cursor, sent };
      if (this.target.kind === 'http') await postLines(this.target, rows);
      else {
        this.syslog ??= createSyslogTransport({ framing: 'octet', ...this.target });
        for (const a of rows) await this.syslog.send(activitySyslog(a));
      }
      cursor = rows[rows.length - 1].id!;
      sent += rows.length;
    }
  }

  async close(): Promise<void> {
    await this.syslog?.close();
  }
}
