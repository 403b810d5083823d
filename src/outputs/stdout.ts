/**
 * Standard output: one line per alert, Falco's text line or JSON (`json_output`).
 * @module
 */
import type { Writable } from 'node:stream';
import { renderAlert } from './format.ts';
import { LineBatcher } from './line-batcher.ts';
import { DeliveryError, type AlertFormat, type Channel, type ChannelDefinition } from './types.ts';

/** `stdout_output` settings; `stream` is for tests. */
export interface StdoutOutputConfig {
  stream?: Writable;
  name?: string;
  /** `buffered_outputs`: join bursts of alerts into one write (Falco: no flush per alert). */
  buffered?: boolean;
}

/** Creates a stdout channel. */
export function createStdoutChannel(c: StdoutOutputConfig, format: AlertFormat): Channel {
  const out = c.stream ?? process.stdout;
  // the callback fires once the data is handed to the OS, which is also back-pressure
  const write = (chunk: string): Promise<void> => new Promise((resolve, reject) => {
    out.write(chunk, (e) => (e ? reject(new DeliveryError(e.message)) : resolve()));
  });
  const batch = c.buffered ? new LineBatcher(write) : undefined;
  return {
    name: c.name ?? 'stdout',
    // buffered: many sends in flight so a burst can be joined (their order is kept)
    concurrency: batch ? 256 : 1,
    send: (alert, id) => (batch ? batch.push(renderAlert(alert, id, format)) : write(renderAlert(alert, id, format) + '\n')),
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
