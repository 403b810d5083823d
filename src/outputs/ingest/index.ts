/**
 * ingest: the HTTP endpoint that takes alerts from a real Falco (`http_output`).
 * @module
 */
export { ingestHandler, startIngestServer, parseAlerts, type AlertSink, type IngestOptions } from './server.ts';
export { toAlert } from './validate.ts';
