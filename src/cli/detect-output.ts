/**
 * Where the alerts of `vigil run` / `vigil replay` go: standard output exactly as `falco -e`
 * prints them (text line or Falco's JSON), plus every other channel vigil.yaml (`-c`) or a
 * `-o key=value` override enables, delivered through the durable outbox like `vigil up`.
 * @module
 */
import type { Writable } from 'node:stream';
import { loadConfig, stringifyAlert, type Alert, type Diagnostic, type VigilConfig } from '../core/index.ts';
import { channelsFromConfig, Outbox, outboxOptionsFromConfig, reopenOnSighup, type OutboxEvent } from '../outputs/index.ts';
import { openStore, type Store } from '../store/index.ts';
import { parseOutputOptions } from './render.ts';

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

/** What `openAlertSink` needs from the command line. */
export interface AlertSinkOptions {
  /** `-c vigil.yaml`. */
  config?: string;
  /** Every `-o` value: `json`, `text` or Falco `key=value` overrides. */
  output?: string[];
  /** The outbox's store; default a private in-memory SQLite (the input can be replayed again). */
  store?: Store | string;
  /** Standard output (tests). */
  stdout?: Writable;
  /** Outbox problems (channel down, drops), default a line on stderr. */
  onEvent?: (e: OutboxEvent) => void;
}

/** The alert sink of a detection command. */
export interface AlertSink {
  /** The configuration in force (file, defaults, overrides). */
  readonly config: VigilConfig;
  /** Warnings met loading the configuration (unknown keys). */
  readonly warnings: Diagnostic[];
  /** Whether alerts print as JSON. */
  readonly json: boolean;
  /** Names of the outbox channels (empty: stdout only). */
  readonly channels: string[];
  /** Takes one alert: printed at once (batched) and queued for the channels. Never throws. */
  submit(alert: Alert): void;
  /** Writes what is batched for stdout (before printing anything else). */
  flush(): void;
  /** Flushes, delivers what is pending (up to `drainMs`), stops the channels. */
  close(drainMs?: number): Promise<void>;
}

const OUTBOX_KEYS = ['file_output', 'syslog_output', 'program_output', 'http_output'] as const;

/**
 * Opens the sink. Throws `ConfigError` (codes and key paths) for a bad vigil.yaml or `-o`, and
 * a plain Error for an unknown `-o` format. Without `-c`, only stdout is on unless an `-o`
 * override enables another output, so a bare `vigil replay` prints exactly what it always did
 * (Falco's syslog default would otherwise write to /dev/log).
 */
export async function openAlertSink(o: AlertSinkOptions): Promise<AlertSink> {
  const out = parseOutputOptions(o.output);
  const overrides = Object.entries(out.overrides).map(([k, v]) => `${k}=${v}`);
  const loaded = loadConfig({ file: o.config, text: o.config ? undefined : '{}', overrides });
  const cfg = loaded.config;
  if (!o.config) {
    for (const k of OUTBOX_KEYS) if (!out.overrides[`${k}.enabled`]) cfg[k].enabled = false;
  }
  const json = out.format === 'json' || cfg.json_output;
  // the stdout line is rendered here, not by the stdout channel, to stay byte-identical to
  // `falco -e` (no uuid key) and synchronous with the summary printed after it
  const shape: Record<string, string> = {
    ...out.overrides,
    json_include_output_property: String(cfg.json_include_output_property),
    json_include_tags_property: String(cfg.json_include_tags_property),
    json_include_output_fields_property: String(cfg.json_include_output_fields_property),
    json_include_message_property: String(cfg.json_include_message_property),
  };
  const printing = cfg.stdout_output.enabled;
  const channels = channelsFromConfig({ ...cfg, stdout_output: { enabled: false } });
  const stdout = o.stdout ?? process.stdout;
  const lines: string[] = [];
  const flush = (): void => {
    if (lines.length) stdout.write(lines.join('\n') + '\n');
    lines.length = 0;
  };
  let outbox: Outbox | undefined;
  let store: Store | undefined;
  let ownStore = false;
  let unhook = (): void => {};
  if (channels.length) {
    ownStore = typeof o.store !== 'object';
    store = typeof o.store === 'object' ? o.store : await openStore(o.store ?? ':memory:');
    const onEvent = o.onEvent ?? ((e: OutboxEvent) => process.stderr.write(`vigil: ${e.type}${e.channel ? ` ${e.channel}` : ''}: ${e.message}\n`));
    outbox = new Outbox(store, channels, { ...outboxOptionsFromConfig(cfg), onEvent });
    outbox.start();
    unhook = reopenOnSighup(channels);
  }
  const failed = (e: Error): void => void process.stderr.write(`vigil: alert not queued: ${e.message}\n`);
  return {
    config: cfg,
    warnings: loaded.warnings,
    json,
    channels: channels.map((c) => c.name),
    submit(a) {
      if (printing) {
        lines.push(json ? stringifyAlert(jsonAlert(a, shape)) : a.output);
        if (lines.length >= 256) flush();
      }
      outbox?.submit(a).catch(failed);
    },
    flush,
    async close(drainMs = 30_000) {
      flush();
      if (!outbox) return;
      try {
        await outbox.drain(drainMs);
      } catch (e) {
        process.stderr.write(`vigil: ${(e as Error).message}; undelivered alerts: ${await store!.pendingCount().catch(() => -1)}\n`);
      }
      await outbox.stop();
      unhook();
      if (ownStore) await store!.close();
    },
  };
}
