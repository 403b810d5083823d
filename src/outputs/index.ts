/**
 * outputs: alert channels (one file each) behind a durable outbox, and the Falco ingest endpoint.
 * @module
 */
export * from './types.ts';
export { renderAlert, alertObject, messageOf } from './format.ts';
export { Outbox, type OutboxOptions, type OutboxEvent, type ChannelStats } from './outbox.ts';
export { KINDS, channelsFromConfig, formatFromConfig, outboxOptionsFromConfig, reopenOnSighup } from './channels.ts';
export { LineBatcher } from './line-batcher.ts';
export { createFileChannel, fileChannel, type FileOutputConfig } from './file.ts';
export { createHttpChannel, httpChannel, type HttpOutputConfig } from './http.ts';
export { createProgramChannel, programChannel, type ProgramOutputConfig } from './program.ts';
export { createStdoutChannel, stdoutChannel, type StdoutOutputConfig } from './stdout.ts';
export { createSyslogChannel, syslogChannel, missingSyslogSocket, SD_ID, type SyslogOutputConfig } from './syslog.ts';
export { formatRfc5424, formatRfc3164, renderSd, severityOf, FACILITIES, type SyslogMessage, type StructuredData } from './syslog-format.ts';
export { createSyslogTransport, type SyslogTransport, type SyslogTarget } from './syslog-transport.ts';
export { ingestHandler, startIngestServer, parseAlerts, toAlert, type AlertSink, type IngestOptions } from './ingest/index.ts';
