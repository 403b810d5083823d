/**
 * Syslog output: each alert as one RFC 5424 message (structured data carries the alert id,
 * rule, source and priority) or RFC 3164 line, over unix socket, UDP or TCP.
 * @module
 */
import { statSync } from 'node:fs';
import { hostname } from 'node:os';
import { renderAlert } from './format.ts';
import { FACILITIES, formatRfc3164, formatRfc5424, severityOf } from './syslog-format.ts';
import { createSyslogTransport } from './syslog-transport.ts';
import type { AlertFormat, Channel, ChannelDefinition } from './types.ts';

/** Vigil's private structured-data id (enterprise number 32473 is reserved for documentation, RFC 5612). */
export const SD_ID = 'vigil@32473';

/** `syslog_output` settings. */
export interface SyslogOutputConfig {
  format?: 'rfc5424' | 'rfc3164';
  transport?: 'unix' | 'udp' | 'tcp';
  path?: string;
  host?: string;
  port?: number;
  facility?: string;
  app_name?: string;
  name?: string;
}

/** Creates a syslog channel. */
export function createSyslogChannel(c: SyslogOutputConfig, format: AlertFormat): Channel {
  const fmt = c.format ?? 'rfc5424';
  const transport = createSyslogTransport({
    transport: c.transport ?? 'unix', host: c.host, port: c.port, path: c.path, framing: fmt === 'rfc5424' ? 'octet' : 'lf',
  });
  const facility = FACILITIES[c.facility ?? 'user'] ?? 1;
  const app = c.app_name ?? 'vigil';
  return {
    name: c.name ?? 'syslog',
    concurrency: 1, // keeps messages in order on a stream
    async send(alert, id) {
      const m = {
        facility, severity: severityOf(alert.priority), time: alert.time, hostname: alert.hostname || hostname(),
        appName: app, procId: process.pid, msgId: 'alert',
        sd: { [SD_ID]: { id, rule: alert.rule, source: alert.source, priority: alert.priority } },
        msg: renderAlert(alert, id, format),
      };
      await transport.send(fmt === 'rfc5424' ? formatRfc5424(m) : formatRfc3164(m));
    },
    close: () => transport.close(),
  };
}

/**
 * The local socket a unix-transport syslog output would write to, when it is absent or not a
 * socket (no syslog daemon, e.g. in a container); undefined when it is there or the transport
 * is UDP/TCP. Falco's syslog(3) drops alerts silently then; callers warn instead.
 */
export function missingSyslogSocket(c: SyslogOutputConfig): string | undefined {
  if ((c.transport ?? 'unix') !== 'unix') return undefined;
  const path = c.path ?? '/dev/log';
  try {
    return statSync(path).isSocket() ? undefined : path;
  } catch {
    return path;
  }
}

/** The `syslog` channel kind. */
export const syslogChannel: ChannelDefinition<SyslogOutputConfig> = {
  id: 'syslog',
  version: '1',
  description: 'syslog RFC 5424/3164 over unix socket, UDP or TCP',
  create: createSyslogChannel,
};
