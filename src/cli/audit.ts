/**
 * `vigil audit`: the activity audit trail. `query` lists recorded executions, connections and
 * file changes (with linked alerts); `export` sends them to a SIEM; `ingest` runs the Falco
 * alert endpoint into the store and the configured outputs.
 * Exit codes: 0 done, 1 store or delivery failure, 2 misuse.
 * @module
 */
import type { Command } from 'commander';
import { ConfigError, loadConfig, VigilError, type Diagnostic } from '../core/index.ts';
import { ActivityExporter, describeActivity, runAuditQuery, type ExportTarget, type LinkedActivity } from '../audit/index.ts';
import { channelsFromConfig, outboxOptionsFromConfig, Outbox, reopenOnSighup, startIngestServer } from '../outputs/index.ts';
import { openStore, scheduleRetention, DEFAULT_STORE_URL, type Activity, type Store } from '../store/index.ts';
import { collect, parseOutputOptions, printDiagnostics } from './render.ts';

interface QueryOpts {
  db: string; container?: string; pod?: string; since?: string; until?: string; type?: string[];
  pid?: string; limit?: string; alerts?: boolean; output?: string[]; config?: string;
}

/** `audit.link_window` of vigil.yaml when `-c` is given (else the 5 minute default). */
function linkWindow(opts: { config?: string }): number {
  return loadConfig({ file: opts.config, text: opts.config ? undefined : '{}' }).config.audit.link_window;
}

function misuse(d: Diagnostic): number {
  printDiagnostics([d]);
  return 2;
}

async function withStore<T>(url: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const s = await openStore(url);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

function renderText(rows: (Activity | LinkedActivity)[]): string {
  const lines = rows.map((a) => {
    const links = 'alertIds' in a && a.alertIds.length ? `  alerts=${a.alertIds.join(',')}` : '';
    return `${new Date(a.ts).toISOString()} ${a.kind.padEnd(4)} ${describeActivity(a)}${links}`;
  });
  lines.push(`${rows.length} records`);
  return lines.join('\n') + '\n';
}

async function query(opts: QueryOpts): Promise<number> {
  let format: 'text' | 'json';
  try {
    format = parseOutputOptions(opts.output).format;
  } catch (e) {
    return misuse({ code: 'CLI_BAD_OUTPUT', severity: 'error', message: (e as Error).message });
  }
  const int = (v: string | undefined, name: string): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new VigilError('CLI_BAD_NUMBER', `--${name}: expected a number, got ${JSON.stringify(v)}`);
    return Number(v);
  };
  try {
    const q = { container: opts.container, pod: opts.pod, since: opts.since, until: opts.until, types: opts.type, pid: int(opts.pid, 'pid'), limit: int(opts.limit, 'limit') };
    const rows = await withStore(opts.db, (s) => runAuditQuery(s, q, { alerts: opts.alerts, windowMs: linkWindow(opts) }));
    process.stdout.write(format === 'json' ? rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '') : renderText(rows));
    return 0;
  } catch (e) {
    if (e instanceof VigilError) {
      printDiagnostics([e.diagnostic]);
      return e.code.startsWith('STORE_') ? 1 : 2;
    }
    throw e;
  }
}

/** `udp://host:port`, `tcp://host:port`, `unix:///dev/log` or an http(s) URL. */
export function parseExportTarget(to: string): ExportTarget {
  const m = /^(udp|tcp):\/\/([^:/]+)(?::(\d+))?\/?$/.exec(to);
  if (m) return { kind: 'syslog', transport: m[1] as 'udp' | 'tcp', host: m[2], port: Number(m[3] ?? 514) };
  if (to.startsWith('unix://')) return { kind: 'syslog', transport: 'unix', path: to.slice('unix://'.length) || '/dev/log' };
  if (/^https?:\/\//.test(to)) return { kind: 'http', url: to };
  throw new VigilError('CLI_BAD_TARGET', `--to: expected http(s)://, udp://host:port, tcp://host:port or unix:///path, got ${JSON.stringify(to)}`);
}

async function exportCmd(opts: { db: string; to: string; after: string; since?: string; header?: string[] }): Promise<number> {
  let target: ExportTarget;
  try {
    target = parseExportTarget(opts.to);
    if (target.kind === 'http' && opts.header) {
      target.headers = Object.fromEntries(opts.header.map((h) => {
        const i = h.indexOf(':');
        if (i <= 0) throw new VigilError('CLI_BAD_HEADER', `--header: expected "Name: value", got ${JSON.stringify(h)}`);
        return [h.slice(0, i).trim(), h.slice(i + 1).trim()];
      }));
    }
  } catch (e) {
    if (e instanceof VigilError) return misuse(e.diagnostic);
    throw e;
  }
  try {
    const since = opts.since ? (await import('../audit/index.ts')).parseTimeBound(opts.since, Date.now(), 'since') : undefined;
    const r = await withStore(opts.db, async (s) => {
      const ex = new ActivityExporter(s, target);
      try {
        return await ex.exportFrom(Number(opts.after), since);
      } finally {
        await ex.close();
      }
    });
    // the cursor goes to stdout so a scheduler can pass it back with --after next time
    process.stdout.write(`${JSON.stringify({ sent: r.sent, cursor: r.cursor })}\n`);
    return 0;
  } catch (e) {
    printDiagnostics([e instanceof VigilError ? e.diagnostic : { code: 'AUDIT_EXPORT_FAILED', severity: 'error', message: (e as Error).message }]);
    return e instanceof VigilError && e.code.startsWith('AUDIT_BAD') ? 2 : 1;
  }
}

async function ingest(opts: { config?: string; output?: string[]; listen?: string; db?: string }): Promise<number> {
  let cfg;
  try {
    const overrides = (opts.output ?? []).filter((o) => o.includes('='));
    cfg = loadConfig({ file: opts.config, overrides }).config;
  } catch (e) {
    if (e instanceof ConfigError) {
      printDiagnostics(e.diagnostics);
      return 2;
    }
    throw e;
  }
  const [host, port] = (opts.listen ?? `${cfg.ingest.listen_address}:${cfg.ingest.listen_port}`).split(/:(?=\d+$)/);
  const store = await openStore(opts.db ?? cfg.store.url);
  const channels = channelsFromConfig(cfg);
  const outbox = new Outbox(store, channels, {
    ...outboxOptionsFromConfig(cfg),
    onEvent: (e) => process.stderr.write(`vigil: ${e.type}${e.channel ? ` ${e.channel}` : ''}: ${e.message}\n`),
  });
  outbox.start();
  const unhook = reopenOnSighup(channels);
  const stopRetention = scheduleRetention(store, { maxAgeMs: cfg.store.retention.max_age, maxBytes: cfg.store.retention.max_bytes }, 600_000, {
    onError: (e) => process.stderr.write(`vigil: retention: ${e.message}\n`),
  });
  const srv = await startIngestServer((a) => outbox.submit(a), { host, port: Number(port) }, { maxBodyBytes: cfg.ingest.max_body_bytes });
  process.stderr.write(`vigil: accepting Falco alerts on http://${host}:${srv.port}/ (${channels.map((c) => c.name).join(', ') || 'store only'})\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  unhook();
  stopRetention();
  await srv.close();
  await outbox.stop();
  await store.close();
  return 0;
}

/** Registers `vigil audit query|export|ingest`. */
export function auditCommands(program: Command): void {
  const audit = program.command('audit').description('activity audit trail: executions, connections, sensitive file changes');
  audit
    .command('query')
    .description('list recorded activity')
    .option('--db <url>', 'store: SQLite path or postgres:// URL', DEFAULT_STORE_URL)
    .option('--container <id>', 'container id (12-character or full)')
    .option('--pod <ns/name>', 'pod, as NAMESPACE/NAME or NAME')
    .option('--since <when>', 'duration back from now (1h, 30m) or ISO time')
    .option('--until <when>', 'duration back from now or ISO time')
    .option('--type <kind>', 'exec, net or file (repeatable, or comma-separated)', collect)
    .option('--pid <pid>', 'process id')
    .option('--limit <n>', 'at most this many records')
    .option('--alerts', 'link alerts of the same container or process')
    .option('-c, --config <file>', 'vigil.yaml, for audit.link_window')
    .option('-o, --output <format>', 'json or text', collect)
    .action(async (opts: QueryOpts) => {
      process.exitCode = await query(opts);
    });
  audit
    .command('export')
    .description('send activity to a SIEM as JSON lines over HTTP or RFC 5424 syslog')
    .requiredOption('--to <target>', 'http(s)://..., udp://host:port, tcp://host:port or unix:///dev/log')
    .option('--db <url>', 'store: SQLite path or postgres:// URL', DEFAULT_STORE_URL)
    .option('--after <id>', 'export records after this cursor (printed by the previous run)', '0')
    .option('--since <when>', 'only records at or after this time')
    .option('--header <h>', 'extra HTTP header "Name: value" (repeatable)', collect)
    .action(async (opts: { db: string; to: string; after: string; since?: string; header?: string[] }) => {
      process.exitCode = await exportCmd(opts);
    });
  audit
    .command('ingest')
    .description("accept alerts from Falco's http_output into the store and the configured outputs")
    .option('-c, --config <file>', 'vigil.yaml (Falco keys)')
    .option('-o, --output <key=value>', 'configuration override (repeatable)', collect)
    .option('--listen <host:port>', 'address to listen on (default from config: 127.0.0.1:2801)')
    .option('--db <url>', 'store: SQLite path or postgres:// URL (default from config)')
    .action(async (opts: { config?: string; output?: string[]; listen?: string; db?: string }) => {
      process.exitCode = await ingest(opts);
    });
}
