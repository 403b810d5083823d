/**
 * Where the alerts of `vigil run`, `vigil replay` and `vigil k8saudit` go: standard output
 * exactly as `falco -e` prints them (text line or Falco's JSON), plus every other channel
 * vigil.yaml (`-c`) or a `-o key=value` override enables, delivered through the durable outbox
 * like `vigil up`.
 * @module
 */
import type { Writable } from 'node:stream';
import { ConfigError, error, loadConfig, stringifyAlert, warning, type Alert, type Diagnostic, type Priority, type VigilConfig } from '../core/index.ts';
import { parsePriority } from '../rules/index.ts';
import { channelsFromConfig, missingSyslogSocket, Outbox, outboxOptionsFromConfig, reopenOnSighup, type OutboxEvent } from '../outputs/index.ts';
import { openStore, redact, type Store } from '../store/index.ts';
import { openRunRecorder, type RunRecorder } from '../engine/index.ts';
import { parseOutputOptions, printDiagnostics } from './render.ts';

/** Shapes an alert per Falco's json_include_* settings (keys sorted, as Falco prints them). */
export function jsonAlert(a: Alert, o: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  if (o.json_include_output_property === 'false') delete out.output;
  if (o.json_include_tags_property === 'false') delete out.tags;
  if (o.json_include_output_fields_property === 'false') delete out.output_fields;
  // the output without its `time: Priority ` prefix
  if (o.json_include_message_property === 'true') out.message = a.output.slice(a.output.indexOf(`: ${a.priority} `) + a.priority.length + 3);
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}

/** `loadDetectConfig` for a command: prints what is wrong on stderr and returns exit code 2 instead of throwing. */
export function loadDetectConfigOrReport(o: DetectConfigOptions): DetectConfig | number {
  try {
    const dc = loadDetectConfig(o);
    printDiagnostics(dc.warnings); // once, even with -q: they say an output is off
    return dc;
  } catch (e) {
    if (e instanceof ConfigError) printDiagnostics(e.diagnostics);
    else process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
}

/** The `--db` recording of `vigil run` / `vigil replay`, as the engine's hooks want it. */
export interface DetectRecorder {
  /** Records an evaluated event as activity; undefined with `audit.enabled: false` (the engine then skips the call). */
  onEvent?: RunRecorder['onEvent'];
  /** Records an alert, unless the outbox already stores alerts in that database. */
  onAlert: RunRecorder['onAlert'];
  /** Flushes and closes the store; counts what was recorded. */
  close: RunRecorder['close'];
}

/**
 * Opens the recorder of a detection run into `db` per vigil.yaml `audit:` (kinds, sensitive
 * paths, excluded commands), leaving alerts to the outbox when it keeps them in the same store.
 */
export async function openDetectRecorder(db: string, sink: AlertSink): Promise<DetectRecorder> {
  // loaded on demand, like the recorder's own store drivers
  const activity = (await import('../audit/index.ts')).recorderOptionsFromConfig(sink.config.audit);
  const rec = await openRunRecorder(db, activity);
  return {
    onEvent: sink.config.audit.enabled ? (ev) => rec.onEvent(ev) : undefined,
    onAlert: sink.storesAlerts ? () => {} : (a) => rec.onAlert(a),
    close: () => rec.close(),
  };
}

/** The configuration of a detection command: vigil.yaml (`-c`), defaults and `-o` overrides. */
export interface DetectConfig {
  /** The configuration in force. Without `-c`, outputs other than stdout are off unless an `-o` turns one on. */
  config: VigilConfig;
  /** Warnings met loading it (unknown keys, no syslog socket); print them once. */
  warnings: Diagnostic[];
  /** Whether alerts print as JSON (`-o json` or json_output). */
  json: boolean;
  /** The `-o key=value` overrides as given. */
  overrides: Record<string, string>;
  /**
   * Falco's append_output for the rules loader: the configured entries with `-c` or an
   * append_output override, else none, so a bare command prints rule outputs as written.
   */
  appendOutput: unknown;
  /** The minimum rule priority to load (`--min-priority`, else `priority:`); undefined: every rule. */
  minPriority?: Priority;
  /** Falco's rule_matching (`--rule-matching`, else `rule_matching:`). */
  ruleMatching: 'first' | 'all';
  /** How long `close()` waits for undelivered alerts (`--drain-timeout`, else outbox.drain_timeout_seconds), in ms. */
  drainMs: number;
}

/** The command-line side of a detection command's configuration. */
export interface DetectConfigOptions {
  /** `-c vigil.yaml`. */
  config?: string;
  /** Every `-o` value. */
  output?: string[];
  /** `--min-priority` (wins over `priority:` and `-o priority=`). */
  minPriority?: string;
  /** `--rule-matching` (wins over `rule_matching:` and `-o rule_matching=`). */
  ruleMatching?: string;
  /** `--drain-timeout` in seconds (wins over outbox.drain_timeout_seconds). */
  drainTimeout?: string;
}

/** Which rules load and how they match: the command-line flag, else the configuration (file and `-o`), as in Falco. */
export interface RuleSelection {
  minPriority?: Priority;
  ruleMatching: 'first' | 'all';
}

/**
 * Resolves `priority` / `rule_matching` for rule loading. The configuration values were
 * validated by loadConfig; a bad flag throws `ConfigError` naming the flag and the key it stands for.
 */
export function ruleSelection(cfg: VigilConfig, flags: { minPriority?: string; ruleMatching?: string }): RuleSelection {
  const errors: Diagnostic[] = [];
  let minPriority = parsePriority(cfg.priority);
  if (flags.minPriority !== undefined) {
    minPriority = parsePriority(flags.minPriority);
    if (!minPriority) errors.push(error('CONFIG_INVALID_VALUE', `expected one of emergency, alert, critical, error, warning, notice, informational, debug, got ${JSON.stringify(flags.minPriority)}`, { file: '--min-priority', jsonPath: '$.priority' }));
  }
  let ruleMatching = cfg.rule_matching;
  if (flags.ruleMatching !== undefined) {
    if (flags.ruleMatching === 'first' || flags.ruleMatching === 'all') ruleMatching = flags.ruleMatching;
    else errors.push(error('CONFIG_INVALID_VALUE', `expected one of first, all, got ${JSON.stringify(flags.ruleMatching)}`, { file: '--rule-matching', jsonPath: '$.rule_matching' }));
  }
  if (errors.length) throw new ConfigError(errors);
  // debug is the lowest priority: every rule loads, exactly as with no threshold
  return { minPriority: minPriority === 'Debug' ? undefined : minPriority, ruleMatching };
}

/** The drain wait in ms: `--drain-timeout` seconds, else outbox.drain_timeout_seconds, else 30 s; a bad flag throws `ConfigError`. */
function drainMsOf(cfg: VigilConfig, flag: string | undefined): number {
  if (flag === undefined) return (cfg.outbox.drain_timeout_seconds ?? 30) * 1000;
  const s = flag.trim() === '' ? NaN : Number(flag);
  if (!Number.isFinite(s) || s < 0) {
    throw new ConfigError([error('CONFIG_INVALID_VALUE', `expected a number of seconds (0 or more), got ${JSON.stringify(flag)}`, { file: '--drain-timeout', jsonPath: '$.outbox.drain_timeout_seconds' })]);
  }
  return s * 1000;
}

/**
 * Loads the configuration of a detection command. Throws `ConfigError` (codes and key paths)
 * for a bad vigil.yaml or `-o`, and a plain Error for an unknown `-o` format. With `-c`, Falco's
 * defaults hold (syslog_output on, to /dev/log); when that socket is absent the syslog output
 * is left out with one warning (Falco's syslog(3) would drop every alert silently) instead of
 * retrying alerts that can never be delivered.
 */
export function loadDetectConfig(o: DetectConfigOptions): DetectConfig {
  const out = parseOutputOptions(o.output);
  const overrides = Object.entries(out.overrides).map(([k, v]) => `${k}=${v}`);
  const loaded = loadConfig({ file: o.config, text: o.config ? undefined : '{}', overrides });
  const cfg = loaded.config;
  const warnings = [...loaded.warnings];
  if (!o.config) {
    for (const k of OUTBOX_KEYS) if (!out.overrides[`${k}.enabled`]) cfg[k].enabled = false;
  }
  const noSocket = cfg.syslog_output.enabled ? missingSyslogSocket(cfg.syslog_output) : undefined;
  if (noSocket) {
    cfg.syslog_output.enabled = false;
    warnings.push(warning('OUTPUT_SYSLOG_NO_SOCKET', `${noSocket} is not a socket (no syslog daemon here): syslog_output is off for this run; set syslog_output.enabled=false, or transport udp/tcp`, { file: o.config, jsonPath: '$.syslog_output.path' }));
  }
  const appends = !!o.config || Object.keys(out.overrides).some((k) => k.startsWith('append_output'));
  const rules = ruleSelection(cfg, o);
  const drainMs = drainMsOf(cfg, o.drainTimeout);
  return { config: cfg, warnings, json: out.format === 'json' || cfg.json_output, overrides: out.overrides, appendOutput: appends ? cfg.append_output : undefined, ...rules, drainMs };
}

/** What `openAlertSink` needs from the command line. */
export interface AlertSinkOptions {
  /** `-c vigil.yaml` (unless `loaded` is given). */
  config?: string;
  /** Every `-o` value: `json`, `text` or Falco `key=value` overrides (unless `loaded` is given). */
  output?: string[];
  /** The configuration already loaded with `loadDetectConfig` (rules need it before the sink opens). */
  loaded?: DetectConfig;
  /**
   * Where the outbox keeps alerts until every channel has them: a store, or a URL such as the
   * command's `--db` (undelivered alerts then survive the process and go out on the next run).
   * Default a private in-memory SQLite.
   */
  store?: Store | string;
  /**
   * A long-running command (`vigil run`, `k8saudit serve`): each burst of alerts is written to
   * stdout at once. Otherwise lines are batched until 256 or `flush()` (a replay's speed).
   */
  live?: boolean;
  /** Standard output (tests). */
  stdout?: Writable;
  /** Outbox problems (channel down, drops), default a line on stderr. */
  onEvent?: (e: OutboxEvent) => void;
}

/** The alert sink of a detection command. */
export interface AlertSink {
  /** The configuration in force (file, defaults, overrides). */
  readonly config: VigilConfig;
  /** Warnings met loading the configuration (unknown keys, no syslog socket); print them once. */
  readonly warnings: Diagnostic[];
  /** Whether alerts print as JSON. */
  readonly json: boolean;
  /** Names of the outbox channels (empty: stdout only). */
  readonly channels: string[];
  /** True when the outbox stores every alert in the store given as `store` (a `--db` need not store them again). */
  readonly storesAlerts: boolean;
  /** Takes one alert: printed (batched) and queued for the channels. Never throws. */
  submit(alert: Alert): void;
  /** While stdout cannot keep up, a promise that resolves when it can (a live engine's gate). */
  congested(): Promise<void> | undefined;
  /** Writes what is batched for stdout (before printing anything else). */
  flush(): void;
  /** Stops a `close` that is waiting for deliveries (a second Ctrl-C); undelivered alerts stay in the store. */
  abort(): void;
  /** Flushes, delivers what is pending (up to `drainMs`, default the configured drain timeout, or `abort()`), stops the channels. */
  close(drainMs?: number): Promise<void>;
}

const OUTBOX_KEYS = ['file_output', 'syslog_output', 'program_output', 'http_output'] as const;

/** Opens the sink; throws as `loadDetectConfig` does when it loads the configuration itself. */
export async function openAlertSink(o: AlertSinkOptions): Promise<AlertSink> {
  const dc = o.loaded ?? loadDetectConfig(o);
  const cfg = dc.config;
  const json = dc.json;
  // the stdout line is rendered here, not by the stdout channel, to stay byte-identical to
  // `falco -e` (no uuid key) and synchronous with the summary printed after it
  const shape: Record<string, string> = {
    ...dc.overrides,
    json_include_output_property: String(cfg.json_include_output_property),
    json_include_tags_property: String(cfg.json_include_tags_property),
    json_include_output_fields_property: String(cfg.json_include_output_fields_property),
    json_include_message_property: String(cfg.json_include_message_property),
  };
  const printing = cfg.stdout_output.enabled;
  const channels = channelsFromConfig({ ...cfg, stdout_output: { enabled: false } });
  const stdout = o.stdout ?? process.stdout;
  const lines: string[] = [];
  let blocked: Promise<void> | undefined;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (!lines.length) return;
    const ok = stdout.write(lines.join('\n') + '\n');
    lines.length = 0;
    if (!ok) blocked ??= new Promise<void>((r) => stdout.once('drain', () => { blocked = undefined; r(); }));
  };
  let outbox: Outbox | undefined;
  let store: Store | undefined;
  let ownStore = false;
  let unhook = (): void => {};
  const where = typeof o.store === 'string' && o.store !== ':memory:' ? redact(o.store) : undefined;
  if (channels.length) {
    ownStore = typeof o.store !== 'object';
    store = typeof o.store === 'object' ? o.store : await openStore(o.store ?? ':memory:');
    const onEvent = o.onEvent ?? ((e: OutboxEvent) => process.stderr.write(`vigil: ${e.type}${e.channel ? ` ${e.channel}` : ''}: ${e.message}\n`));
    outbox = new Outbox(store, channels, { ...outboxOptionsFromConfig(cfg), onEvent });
    outbox.start();
    unhook = reopenOnSighup(channels);
  }
  let aborted!: () => void;
  const abortedP = new Promise<'aborted'>((r) => (aborted = () => r('aborted')));
  const failed = (e: Error): void => void process.stderr.write(`vigil: alert not queued: ${e.message}\n`);
  return {
    config: cfg,
    warnings: dc.warnings,
    json,
    channels: channels.map((c) => c.name),
    storesAlerts: !!outbox && o.store !== undefined && o.store !== ':memory:',
    submit(a) {
      if (printing) {
        lines.push(json ? stringifyAlert(jsonAlert(a, shape)) : a.output);
        if (o.live) {
          if (!scheduled) {
            scheduled = true;
            setImmediate(flush); // one write per burst, and at once
          }
        } else if (lines.length >= 256) flush();
      }
      outbox?.submit(a).catch(failed);
    },
    congested: () => blocked,
    flush,
    abort: aborted,
    async close(drainMs = dc.drainMs) {
      flush();
      if (!outbox) return;
      let stopped = '';
      const drained = outbox.drain(drainMs).then(() => 'drained' as const, (e: Error) => e.message);
      // a target that is still down holds the exit: say so once, and how to stop waiting
      const slow = setTimeout(() => void store!.pendingCount().then((n) => {
        if (n > 0) process.stderr.write(`vigil: waiting to deliver ${n} pending alert deliveries (Ctrl-C stops waiting${where ? `; they stay in ${where}` : ''})\n`);
      }, () => {}), 1000);
      const how = await Promise.race([drained, abortedP]);
      clearTimeout(slow);
      if (how !== 'drained') stopped = how === 'aborted' ? 'delivery interrupted' : `${how} after ${drainMs / 1000} s (--drain-timeout, outbox.drain_timeout_seconds)`;
      await outbox.stop();
      if (stopped) {
        const left = await store!.pendingCount().catch(() => -1);
        process.stderr.write(`vigil: ${stopped}; ${left} deliveries pending${where ? `, kept in ${where} for the next run with this store` : ' are lost (give --db to keep them)'}\n`);
      }
      unhook();
      if (ownStore) await store!.close();
    },
  };
}
