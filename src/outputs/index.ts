/**
 * outputs: alert channels (one file each) behind a durable outbox.
 * @module
 */
export * from './types.ts';
export { renderAlert, alertObject, messageOf } from './format.ts';
export { Outbox, type OutboxOptions, type OutboxEvent, type ChannelStats } from './outbox.ts';
export { createHttpChannel, httpChannel, type HttpOutputConfig } from './http.ts';
