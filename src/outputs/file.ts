/**
 * File output: appends one line per alert. With `keep_alive` the file stays open; `reopen()`
 * (on SIGHUP) closes it so the next alert goes to a fresh file after log rotation.
 * @module
 */
import { open, type FileHandle } from 'node:fs/promises';
import { renderAlert } from './format.ts';
import { LineBatcher } from './line-batcher.ts';
import { DeliveryError, type AlertFormat, type Channel, type ChannelDefinition } from './types.ts';

/** `file_output` settings. */
export interface FileOutputConfig {
  filename: string;
  keep_alive?: boolean;
  name?: string;
  /** `buffered_outputs`: join bursts of alerts into one write (Falco: no flush per alert). */
  buffered?: boolean;
}

/** Creates a file channel. */
export function createFileChannel(c: FileOutputConfig, format: AlertFormat): Channel {
  let fh: FileHandle | undefined;
  let opening: Promise<FileHandle> | undefined;
  const get = async (): Promise<FileHandle> => {
    if (fh) return fh;
    opening ??= open(c.filename, 'a').finally(() => (opening = undefined));
    fh = await opening;
    return fh;
  };
  const shut = async (): Promise<void> => {
    const h = fh;
    fh = undefined;
    await h?.close().catch(() => {});
  };
  const write = async (chunk: string): Promise<void> => {
    try {
      const h = await get();
      await h.write(chunk);
      if (!c.keep_alive) await shut(); // Falco reopens per write unless keep_alive
    } catch (e) {
      await shut();
      throw new DeliveryError(`${c.filename}: ${(e as Error).message}`);
    }
  };
  const batch = c.buffered ? new LineBatcher(write) : undefined;
  return {
    name: c.name ?? 'file',
    concurrency: batch ? 256 : 1,
    send: (alert, id) => (batch ? batch.push(renderAlert(alert, id, format)) : write(renderAlert(alert, id, format) + '\n')),
    reopen: shut,
    close: shut,
  };
}

/** The `file` channel kind. */
export const fileChannel: ChannelDefinition<FileOutputConfig> = {
  id: 'file',
  version: '1',
  description: 'appends alert lines to a file; reopened on SIGHUP',
  create: createFileChannel,
};
