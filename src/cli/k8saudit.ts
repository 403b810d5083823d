/**
 * `vigil k8saudit serve|replay`: Kubernetes audit events as a detection source — the audit
 * webhook for API servers (k3s: --kube-apiserver-arg=audit-webhook-config-file=...) and the
 * replay of audit log files. Alerts go to stdout (text or Falco's JSON shape) and to the
 * outputs -c/-o enable, through the durable outbox (see detect-output.ts).
 * Exit codes: 0 done, 1 rules/input errors, 2 misuse.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { formatDiagnostic } from '../core/index.ts';
import { AuditDetector, loadAuditRules, openRunRecorder, replayAuditFile, type AuditRules } from '../engine/index.ts';
import { fieldTables, startWebhook } from '../sources/index.ts';
import { collect, printDiagnostics } from './render.ts';
import { loadDetectConfigOrReport, openAlertSink, type AlertSink } from './detect-output.ts';
import { handleStopSignals } from './signals.ts';

interface CommonOpts {
  rules?: string[];
  output?: string[];
  config?: string;
  ruleMatching?: string;
  minPriority?: string;
  drainTimeout?: string;
  quiet?: boolean;
}

interface ServeOpts extends CommonOpts {
  listen: string;
  path: string;
  tokenFile?: string[];
  tlsCert?: string;
  tlsKey?: string;
  clientCa?: string;
  allowUnauthenticated?: boolean;
  maxBodyBytes?: string;
  db?: string;
}

/** `host:port`, `[v6]:port` or `:port` (all interfaces). */
export function parseListen(s: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(s);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

/** Loads rules and opens the alert sink (stdout and the outputs -c/-o enable); an exit code after a reported problem. */
async function prepare(opts: CommonOpts, live: boolean, db?: string): Promise<{ loaded: AuditRules; sink: AlertSink } | number> {
  if (!opts.rules?.length) {
    process.stderr.write('no rules: pass -r RULES (e.g. Falco\'s k8s_audit_rules.yaml)\n');
    return 2;
  }
  const dc = loadDetectConfigOrReport(opts);
  if (typeof dc === 'number') return dc;
  const loaded = loadAuditRules(opts.rules, { fieldTables: fieldTables(), minPriority: dc.minPriority, ruleMatching: dc.ruleMatching, appendOutput: dc.appendOutput });
  if (!loaded.ok) {
    printDiagnostics(loaded.errors);
    return 1;
  }
  // with --db the outbox keeps alerts there: what a down output did not get is sent next run
  const sink = await openAlertSink({ loaded: dc, live, store: db });
  return { loaded, sink };
}

async function serve(opts: ServeOpts): Promise<number> {
  const listen = parseListen(opts.listen);
  if (!listen) {
    process.stderr.write(`--listen must be host:port, got '${opts.listen}'\n`);
    return 2;
  }
  if (!!opts.tlsCert !== !!opts.tlsKey || (opts.clientCa && !opts.tlsCert)) {
    process.stderr.write('--tls-cert and --tls-key go together; --client-ca needs them\n');
    return 2;
  }
  let tokens: string[] = [];
  let tls;
  try {
    tokens = (opts.tokenFile ?? []).flatMap((f) => readFileSync(f, 'utf8').split('\n').map((t) => t.trim()).filter(Boolean));
    if (process.env.VIGIL_K8SAUDIT_TOKEN) tokens.push(process.env.VIGIL_K8SAUDIT_TOKEN);
    if (opts.tlsCert && opts.tlsKey) {
      tls = { cert: readFileSync(opts.tlsCert), key: readFileSync(opts.tlsKey), clientCa: opts.clientCa ? readFileSync(opts.clientCa) : undefined };
    }
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  if (!tokens.length && !tls?.clientCa && !opts.allowUnauthenticated) {
    process.stderr.write('refusing to accept unauthenticated senders: give --token-file (or VIGIL_K8SAUDIT_TOKEN), --client-ca, or --allow-unauthenticated\n');
    return 2;
  }
  const p = await prepare(opts, true, opts.db);
  if (typeof p === 'number') return p;
  const { sink } = p;
  // --db as in vigil run: alerts are stored (by the outbox when it has channels, else here)
  const recorder = opts.db && !sink.storesAlerts ? await openRunRecorder(opts.db) : undefined;
  const detector = new AuditDetector(p.loaded.ruleset, (a) => {
    recorder?.onAlert(a);
    sink.submit(a);
  }, {});
  const maxBodyBytes = opts.maxBodyBytes ? Number(opts.maxBodyBytes) : undefined;
  const w = await startWebhook(listen.host, listen.port, {
    path: opts.path, tokens, tls, allowUnauthenticated: opts.allowUnauthenticated, maxBodyBytes,
    onEvents: (events) => {
      for (const e of events) detector.evaluate(e);
    },
    onProblem: (status, problem) => process.stderr.write(`k8saudit webhook: ${status} ${typeof problem === 'string' ? problem : formatDiagnostic(problem)}\n`),
  });
  process.stderr.write(`k8saudit webhook listening on ${w.url} (${p.loaded.auditRules} k8s_audit rules)\n`);
  // first signal: stop taking events, deliver what was accepted; a second one stops waiting
  let stopped!: () => void;
  const stopping = new Promise<void>((r) => (stopped = r));
  const offSignals = handleStopSignals(stopped, () => sink.abort());
  await stopping;
  await w.close();
  await sink.close();
  offSignals();
  if (recorder) await recorder.close();
  process.stderr.write(`k8saudit webhook: ${w.stats.events} events, ${detector.counters.alerts} alerts, ${w.stats.rejected} requests refused\n`);
  return 0;
}

/** Replays an audit log (JSON lines, Event, EventList) through k8s_audit rules; also used by `vigil replay`. */
export async function replayAuditLog(file: string, opts: CommonOpts & { quiet?: boolean }): Promise<number> {
  const p = await prepare(opts, false);
  if (typeof p === 'number') return p;
  const { sink } = p;
  let summary;
  try {
    summary = await replayAuditFile(file === '-' ? process.stdin : file, p.loaded.ruleset, (a) => sink.submit(a));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    await sink.close();
    return 1;
  }
  // Ctrl-C while outputs are still being delivered stops waiting
  const offSignals = handleStopSignals(() => sink.abort(), () => sink.abort());
  await sink.close();
  offSignals();
  printDiagnostics(summary.errors);
  if (!opts.quiet) {
    process.stderr.write(`Events processed: ${summary.events}\nAlerts: ${summary.alerts}\n`);
    for (const [r, n] of summary.byRule) process.stderr.write(`   ${r}: ${n}\n`);
  }
  return summary.errors.length ? 1 : 0;
}

function common(cmd: Command): Command {
  return cmd
    .option('-r, --rules <file>', 'rules file (repeatable), e.g. k8s_audit_rules.yaml', collect)
    .option('-o, --output <format>', 'json or text (repeatable; Falco key=value overrides such as json_output=true)', collect)
    .option('-c, --config <file>', 'vigil.yaml (Falco keys): outputs beyond stdout (file, syslog, program, http) go through the outbox')
    .option('--rule-matching <mode>', 'first or all (default: rule_matching from -c, else first)')
    .option('--min-priority <priority>', 'ignore rules below this priority (default: priority from -c, else debug)')
    .option('--drain-timeout <seconds>', 'at exit, wait this long for outputs to take undelivered alerts (default: outbox.drain_timeout_seconds, 30)');
}

/** Registers `vigil k8saudit`. */
export function k8sauditCommands(program: Command): void {
  const group = program.command('k8saudit').description('Kubernetes audit events as a detection source (webhook, replay)');
  common(group.command('serve').description('run the audit webhook for API servers with detection'))
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:9765')
    .option('--path <path>', 'endpoint path', '/k8s-audit')
    .option('--token-file <file>', 'file of accepted bearer tokens, one per line (repeatable; also VIGIL_K8SAUDIT_TOKEN)', collect)
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM)')
    .option('--tls-key <file>', 'private key of --tls-cert (PEM)')
    .option('--client-ca <file>', 'accept client certificates signed by this CA (PEM)')
    .option('--allow-unauthenticated', 'accept any sender (local testing only)')
    .option('--max-body-bytes <n>', 'largest request body (default 12 MiB)')
    .option('--db <url>', 'also store alerts (SQLite path or postgres:// URL); the outbox keeps undelivered alerts there for the next run')
    .action(async (opts: ServeOpts) => {
      process.exitCode = await serve(opts);
    });
  common(group.command('replay').description('run rules over an audit log (JSON lines, Event, EventList)'))
    .option('-q, --quiet', 'no summary on stderr')
    .argument('<file>', 'audit log file (- for stdin)')
    .action(async (file: string, opts: CommonOpts & { quiet?: boolean }) => {
      process.exitCode = await replayAuditLog(file, opts);
    });
}
