/**
 * The explicit, sorted index of channel kinds, and building the enabled channels from config.
 * Adding a channel touches its file, its test and one line in `KINDS`.
 * @module
 */
import type { VigilConfig } from '../core/index.ts';
import { fileChannel } from './file.ts';
import { httpChannel } from './http.ts';
import { programChannel } from './program.ts';
import { stdoutChannel } from './stdout.ts';
import { syslogChannel } from './syslog.ts';
import type { AlertFormat, Channel, ChannelDefinition } from './types.ts';
import type { OutboxOptions } from './outbox.ts';

/** Every channel kind, sorted by id. */
export const KINDS: ChannelDefinition<never>[] = [
  fileChannel as ChannelDefinition<never>,
  httpChannel as ChannelDefinition<never>,
  programChannel as ChannelDefinition<never>,
  stdoutChannel as ChannelDefinition<never>,
  syslogChannel as ChannelDefinition<never>,
];

/** The alert format that config's json_* keys select. */
export function formatFromConfig(cfg: VigilConfig): AlertFormat {
  return {
    json: cfg.json_output,
    includeOutput: cfg.json_include_output_property,
    includeOutputFields: cfg.json_include_output_fields_property,
    includeTags: cfg.json_include_tags_property,
    includeMessage: cfg.json_include_message_property,
    includeUuid: cfg.http_output.include_uuid,
  };
}

/** Creates the channels that config enables, in a stable order. */
export function channelsFromConfig(cfg: VigilConfig): Channel[] {
  const f = formatFromConfig(cfg);
  const out: Channel[] = [];
  const buffered = cfg.buffered_outputs;
  if (cfg.file_output.enabled) out.push(fileChannel.create({ ...cfg.file_output, buffered }, f));
  if (cfg.http_output.enabled) {
    const h = cfg.http_output;
    // Falco always sends JSON over http_output when json_output is set; text otherwise
    out.push(httpChannel.create({ ...h, ca_cert: h.ca_cert || undefined, ca_bundle: h.ca_bundle || undefined, ca_path: h.ca_path || undefined, timeout_ms: h.timeout_ms ?? cfg.output_timeout }, f));
  }
  if (cfg.program_output.enabled) out.push(programChannel.create({ ...cfg.program_output, timeout_ms: cfg.output_timeout * 5 }, f));
  if (cfg.stdout_output.enabled) out.push(stdoutChannel.create({ buffered }, f));
  if (cfg.syslog_output.enabled) out.push(syslogChannel.create(cfg.syslog_output, f));
  return out;
}

/** Outbox settings from config: `outputs_queue.capacity` (0: unbounded, as in Falco) and `outbox.*`. */
export function outboxOptionsFromConfig(cfg: VigilConfig): OutboxOptions {
  return {
    queueCapacity: cfg.outputs_queue.capacity,
    retryBaseMs: cfg.outbox.retry_base_ms,
    retryMaxMs: cfg.outbox.retry_max_ms,
    batchSize: cfg.outbox.batch_size,
  };
}

/** Reopens every channel that supports it when the process gets SIGHUP; returns an uninstaller. */
export function reopenOnSighup(channels: Channel[]): () => void {
  const handler = (): void => {
    for (const c of channels) void c.reopen?.();
  };
  process.on('SIGHUP', handler);
  return () => process.off('SIGHUP', handler);
}
