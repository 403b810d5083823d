/**
 * Syslog message formats: RFC 5424 (with structured data) and RFC 3164 (BSD). Falco's
 * priorities map one to one onto syslog severities (Emergency=0 ... Debug=7).
 * @module
 */
import { PRIORITIES, type Priority } from '../core/index.ts';

/** Facility codes by name (RFC 5424 table 1). */
export const FACILITIES: Record<string, number> = {
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9,
  authpriv: 10, ftp: 11, local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21, local6: 22, local7: 23,
};

/** Syslog severity of a Falco priority. */
export function severityOf(p: Priority): number {
  const i = PRIORITIES.indexOf(p);
  return i < 0 ? 6 : i;
}

/** Structured data: SD-ID to parameters (RFC 5424 section 6.3). */
export type StructuredData = Record<string, Record<string, string | number | undefined>>;

/** Everything a syslog message carries besides the format. */
export interface SyslogMessage {
  facility: number;
  severity: number;
  /** Epoch ms or ISO-8601 text (fractions beyond microseconds are cut, as RFC 5424 allows 6). */
  time: number | string;
  hostname: string;
  appName: string;
  procId?: string | number;
  msgId?: string;
  sd?: StructuredData;
  msg: string;
}

// header fields are printable US-ASCII without spaces, bounded in length; "-" means absent
function field(s: string | number | undefined, max: number): string {
  const v = String(s ?? '').replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return v || '-';
}

function sdName(s: string): string {
  return s.replace(/[^\x21-\x7e]|[= \]"]/g, '_').slice(0, 32) || '_';
}

function sdValue(v: string): string {
  return v.replace(/[\\"\]]/g, (c) => '\\' + c);
}

/** Renders structured data, `-` when there is none. */
export function renderSd(sd: StructuredData | undefined): string {
  if (!sd) return '-';
  let out = '';
  for (const [id, params] of Object.entries(sd)) {
    out += `[${sdName(id)}`;
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') out += ` ${sdName(k)}="${sdValue(String(v))}"`;
    out += ']';
  }
  return out || '-';
}

function isoTime(t: number | string): string {
  if (typeof t === 'number') return new Date(t).toISOString();
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(t);
  if (!m) return new Date().toISOString();
  return m[1] + (m[2] ? m[2].slice(0, 7) : '') + m[3];
}

/** `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG` (RFC 5424). */
export function formatRfc5424(m: SyslogMessage): string {
  const pri = m.facility * 8 + m.severity;
  return `<${pri}>1 ${isoTime(m.time)} ${field(m.hostname, 255)} ${field(m.appName, 48)} ${field(m.procId, 128)} ${field(m.msgId, 32)} ${renderSd(m.sd)} ${m.msg}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `<PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG` (RFC 3164, UTC). */
export function formatRfc3164(m: SyslogMessage): string {
  const d = new Date(typeof m.time === 'number' ? m.time : Date.parse(isoTime(m.time)) || Date.now());
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  const tag = field(m.appName, 32).replace(/[^A-Za-z0-9_.-]/g, '_');
  return `<${m.facility * 8 + m.severity}>${stamp} ${field(m.hostname, 255)} ${tag}${m.procId !== undefined ? `[${m.procId}]` : ''}: ${m.msg.replace(/\n/g, ' ')}`;
}
