/**
 * File output: appends one line per alert. With `keep_alive` the file stays open; `reopen()`
 * (on SIGHUP) closes it so the next alert goes to a fresh file after log rotation.
 * @module
 */
import { open, type FileHandle } from 'node:fs/promises';
import { renderAlert } from './format.ts';
import { DeliveryError, type AlertFormat, type Channel, type ChannelDefinition } from './types.ts';

/** `file_output` settings. */
export interface FileOutputConfig {
  filename: string;
  keep_alive?: boolean;
  name?: string;
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
  return {
    name: c.name ?? 'file',
    concurrency: 1,
    async send(alert, id) {
      try {
        const h = await get();
        await h.write(renderAlert(alert, id, format) + '\n');
        if (!c.keep_alive) await shut(); // Falco reopens per alert unless keep_alive
      } catch (e) {
        await shut();
        throw new DeliveryError(`${c.filename}: ${(e as Error).message}`);
      }
    },
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
