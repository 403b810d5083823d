/**
 * The Falco ingest endpoint: accepts exactly what Falco's `http_output` (and Falcosidekick's
 * clients) POST — one JSON alert per request, optionally gzip/deflate-encoded — and also a JSON
 * array or JSON lines for bulk loads. Every alert goes to the sink (the outbox: stored, then
 * delivered) before the 200 answer, so an acknowledged alert is never lost.
 * Answers: 200 `{"ids":[...]}`, 400 with diagnostics, 413, 415 (encoding), 405, 503; `GET /healthz`.
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { error, type Alert, type Diagnostic } from '../../core/index.ts';
import { toAlert } from './validate.ts';
import { parseJsonExact } from '../../store/index.ts';

/** Where accepted alerts go; resolves with the stored id. */
export type AlertSink = (alert: Alert) => Promise<string>;

/** Ingest limits. */
export interface IngestOptions {
  maxBodyBytes?: number;
}

function reply(res: http.ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: http.IncomingMessage, max: number): Promise<Buffer | 'too-large' | 'bad-encoding'> {
  const enc = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
  let src: Readable = req;
  if (enc === 'gzip') src = req.pipe(createGunzip());
  else if (enc === 'deflate') src = req.pipe(createInflate());
  else if (enc !== 'identity') return 'bad-encoding';
  const parts: Buffer[] = [];
  let n = 0;
  try {
    for await (const c of src) {
      n += (c as Buffer).length;
      if (n > max) {
        req.resume();
        return 'too-large';
      }
      parts.push(c as Buffer);
    }
  } catch {
    return 'bad-encoding';
  }
  return Buffer.concat(parts);
}

/** Parses a body: one object, an array, or JSON lines. */
export function parseAlerts(text: string): { alerts: Alert[]; errors: Diagnostic[] } {
  let values: unknown[];
  let paths: string[];
  try {
    const v = parseJsonExact(text);
    values = Array.isArray(v) ? v : [v];
    paths = Array.isArray(v) ? values.map((_, i) => `$[${i}]`) : ['$'];
  } catch (e) {
    const lines = text.split('\n').map((l) => l.trim());
    if (lines.filter(Boolean).length < 2) {
      // Falco sends its text line when json_output is false
      return { alerts: [], errors: [error('INGEST_BAD_JSON', `not JSON (${(e as Error).message}); Falco must run with json_output: true`, { jsonPath: '$' })] };
    }
    values = [];
    paths = [];
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]) continue;
      try {
        values.push(parseJsonExact(lines[i]));
        paths.push('$');
      } catch (le) {
        return { alerts: [], errors: [error('INGEST_BAD_JSON', (le as Error).message, { line: i + 1, jsonPath: '$' })] };
      }
    }
  }
  const alerts: Alert[] = [];
  const errors: Diagnostic[] = [];
  values.forEach((v, i) => {
    const r = toAlert(v, paths[i]);
    if (r.alert) alerts.push(r.alert);
    errors.push(...r.errors.map((d) => (paths[i] === '$' && values.length > 1 ? { ...d, line: i + 1 } : d)));
  });
  return { alerts, errors };
}

/** A request handler for the ingest endpoint (mount it in any node:http server). */
export function ingestHandler(sink: AlertSink, opts: IngestOptions = {}): http.RequestListener {
  const max = opts.maxBodyBytes ?? 1024 * 1024;
  return (req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && (path === '/healthz' || path === '/ping')) return reply(res, 200, { status: 'ok' });
      if (path !== '/' && path !== '/falco') return reply(res, 404, { errors: [error('INGEST_NOT_FOUND', `no endpoint ${path}`)] });
      if (req.method !== 'POST') return reply(res, 405, { errors: [error('INGEST_METHOD', 'POST a Falco JSON alert')] });
      const body = await readBody(req, max);
      if (body === 'too-large') return reply(res, 413, { errors: [error('INGEST_TOO_LARGE', `body over ${max} bytes`)] });
      if (body === 'bad-encoding') return reply(res, 415, { errors: [error('INGEST_ENCODING', 'unsupported or corrupt Content-Encoding')] });
      const { alerts, errors } = parseAlerts(body.toString('utf8'));
      // all or nothing: a sender retrying a partly bad batch must not duplicate the good part
      if (errors.length) return reply(res, 400, { errors });
      try {
        // every promise is awaited: one refused alert (a full outputs queue) must not leave the
        // rejections of the rest unhandled, which would end the process
        const settled = await Promise.allSettled(alerts.map((a) => sink(a)));
        const refused = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
        if (refused) throw refused.reason;
        reply(res, 200, { ids: settled.map((s) => (s as PromiseFulfilledResult<string>).value) });
      } catch (e) {
        reply(res, 503, { errors: [error('INGEST_STORE_FAILED', (e as Error).message)] });
      }
    })().catch((e: unknown) => {
      if (!res.headersSent) reply(res, 500, { errors: [error('INGEST_INTERNAL', (e as Error).message)] });
    });
  };
}

/** Starts a standalone ingest server; resolves once listening. */
export async function startIngestServer(sink: AlertSink, listen: { host?: string; port?: number } = {}, opts: IngestOptions = {}): Promise<{ server: http.Server; port: number; close: () => Promise<void> }> {
  const server = http.createServer(ingestHandler(sink, opts));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port ?? 2801, listen.host ?? '127.0.0.1', () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
