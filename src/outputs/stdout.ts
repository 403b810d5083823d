/**
 * Standard output: one line per alert, Falco's text line or JSON (`json_output`).
 * @module
 */
import type { Writable } from 'node:stream';
import { renderAlert } from './format.ts';
import { DeliveryError, type AlertFormat, type Channel, type ChannelDefinition } from './types.ts';

/** `stdout_output` settings; `stream` is for tests. */
export interface StdoutOutputConfig {
  stream?: Writable;
  name?: string;
}

/** Creates a stdout channel. */
export function createStdoutChannel(c: StdoutOutputConfig, format: AlertFormat): Channel {
  const out = c.stream ?? process.stdout;
  return {
    name: c.name ?? 'stdout',
    concurrency: 1,
    send: (alert, id) => new Promise((resolve, reject) => {
      // the callback fires once the data is handed to the OS, which is also back-pressure
      out.write(renderAlert(alert, id, format) + '\n', (e) => (e ? reject(new DeliveryError(e.message)) : resolve()));
    }),
    async close() {},
  };
}

/** The `stdout` channel kind. */
export const stdoutChannel: ChannelDefinition<StdoutOutputConfig> = {
  id: 'stdout',
  version: '1',
  description: 'one line per alert on standard output',
  create: createStdoutChannel,
};
