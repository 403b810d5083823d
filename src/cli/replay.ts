/**
 * `vigil replay`: detection over a scap capture, printing alerts like `falco -e` (text lines
 * or Falco's JSON alert shape) and a summary on stderr.
 * Exit codes: 0 done, 1 rules or capture errors, 2 misuse.
 * @module
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { Command } from 'commander';
import { formatDiagnostic, VigilError } from '../core/index.ts';
import { loadSyscallRules, summaryLines, summaryObject, SyscallEngine } from '../engine/index.ts';
import { replayAuditLog } from './k8saudit.ts';
import { collect, DEFAULT_RULES, printDiagnostics, ruleFilesOrDefault } from './render.ts';
import { loadDetectConfigOrReport, openAlertSink, openDetectRecorder } from './detect-output.ts';
import { handleStopSignals } from './signals.ts';

export { DEFAULT_RULES } from './render.ts';
export { jsonAlert } from './detect-output.ts';


interface ReplayOpts {
  rules?: string[];
  output?: string[];
  ruleMatching?: string;
  minPriority?: string;
  drainTimeout?: string;
  threadTableSize?: string;
  enterEvents?: boolean;
  quiet?: boolean;
  tag?: string[];
  disableTag?: string[];
  disableRule?: string[];
  db?: string;
  config?: string;
}

/** True when the file starts like JSON (a Kubernetes audit log), not like a scap capture. */
function looksLikeAuditLog(file: string): boolean {
  if (file === '-') return false;
  try {
    const fd = openSync(file, 'r');
    const b = Buffer.alloc(64);
    const n = readSync(fd, b, 0, 64, 0);
    closeSync(fd);
    const head = b.subarray(0, n).toString('latin1').trimStart();
    return head.startsWith('{') || head.startsWith('[');
  } catch {
    return false;
  }
}

async function replay(file: string, opts: ReplayOpts): Promise<number> {
  if (looksLikeAuditLog(file)) {
    if (!opts.rules?.length) {
      process.stderr.write('a Kubernetes audit log needs k8s_audit rules: pass -r k8s_audit_rules.yaml\n');
      return 2;
    }
    return replayAuditLog(file, { rules: opts.rules, output: opts.output, config: opts.config, ruleMatching: opts.ruleMatching, minPriority: opts.minPriority, drainTimeout: opts.drainTimeout, quiet: opts.quiet });
  }
  const ruleFiles = ruleFilesOrDefault(opts.rules);
  if (!ruleFiles) return 2;
  const dc = loadDetectConfigOrReport(opts);
  if (typeof dc === 'number') return dc;
  const { result, ruleset, readErrors } = loadSyscallRules(ruleFiles, { minPriority: dc.minPriority, ruleMatching: dc.ruleMatching, appendOutput: dc.appendOutput });
  if (readErrors.length || !result.ok) {
    printDiagnostics([...readErrors, ...result.errors]);
    return 1;
  }
  // Falco's -t (only these tags), -T (not these tags), -D (not rules whose name contains this)
  if (opts.tag?.length) {
    ruleset.setEnabledByName('*', false);
    for (const t of opts.tag) ruleset.setEnabledByTag(t, true);
  }
  for (const t of opts.disableTag ?? []) ruleset.setEnabledByTag(t, false);
  for (const r of opts.disableRule ?? []) ruleset.setEnabledByName(`*${r}*`, false);
  // with --db the outbox keeps alerts there: what a down output did not get is sent next time
  const sink = await openAlertSink({ loaded: dc, store: opts.db });
  const json = sink.json;
  const iso = sink.config.time_format_iso_8601;
  const recorder = opts.db ? await openDetectRecorder(opts.db, sink) : undefined;
  let alerts = 0;
  const engine = new SyscallEngine(ruleset, {
    onEvent: recorder?.onEvent,
    iso8601: iso,
    enterEvents: opts.enterEvents === true,
    maxThreads: opts.threadTableSize ? Number(opts.threadTableSize) : undefined,
    onAlert: (a) => {
      alerts++;
      recorder?.onAlert(a);
      sink.submit(a);
    },
  });
  let code = 0;
  try {
    await engine.run(file === '-' ? process.stdin : file, file === '-' ? 'stdin' : file);
  } catch (e) {
    sink.flush();
    if (!(e instanceof VigilError)) {
      await sink.close();
      throw e;
    }
    process.stderr.write(formatDiagnostic(e.diagnostic) + '\n');
    code = 1;
  }
  // Ctrl-C while outputs are still being delivered stops waiting (undelivered alerts stay in --db)
  const offSignals = handleStopSignals(() => sink.abort(), () => sink.abort());
  await sink.close();
  offSignals();
  if (recorder) {
    const saved = await recorder.close();
    if (!opts.quiet) process.stderr.write(`stored in ${opts.db}: ${alerts} alerts, ${saved.activities} activity records\n`);
  }
  if (!opts.quiet) {
    if (json) process.stderr.write(JSON.stringify(summaryObject(engine.counters)) + '\n');
    else process.stderr.write(summaryLines(engine.counters).join('\n') + '\n');
  }
  return code;
}

/** Registers `vigil replay`. */
export function replayCommands(program: Command): void {
  program
    .command('replay')
    .description('run rules over a .scap capture (plain or gzip) or a Kubernetes audit log and print alerts like falco -e')
    .option('-r, --rules <file>', `rules file (repeatable; default ${DEFAULT_RULES})`, collect)
    .option('-o, --output <format>', 'json or text (repeatable; Falco key=value overrides such as json_output=true, time_format_iso_8601=true)', collect)
    .option('--rule-matching <mode>', 'first or all (default: rule_matching from -c, else first)')
    .option('--min-priority <priority>', 'ignore rules below this priority (default: priority from -c, else debug)')
    .option('--drain-timeout <seconds>', 'at exit, wait this long for outputs to take undelivered alerts (default: outbox.drain_timeout_seconds, 30)')
    .option('--thread-table-size <n>', 'maximum threads kept in the state (default 262144)')
    .option('--enter-events', 'evaluate enter events too, as Falco before 0.42 did (default: exit events only)')
    .option('-q, --quiet', 'no summary on stderr')
    .option('-c, --config <file>', 'vigil.yaml (Falco keys): outputs beyond stdout (file, syslog, program, http) go through the outbox')
    .option('--db <url>', 'also store alerts and the activity audit (SQLite path such as .vigil/vigil.db, or postgres:// URL) for vigil audit query and the UI')
    .option('-t, --tag <tag>', 'only run rules with this tag (repeatable)', collect)
    .option('-T, --disable-tag <tag>', 'disable rules with this tag (repeatable)', collect)
    .option('-D, --disable-rule <substring>', 'disable rules whose name contains this (repeatable)', collect)
    .argument('<capture>', 'scap capture file (- for stdin)')
    .action(async (file: string, opts: ReplayOpts) => {
      process.exitCode = await replay(file, opts);
    });
}
