/**
 * The audit webhook: accepts what a Kubernetes API server's webhook audit backend posts
 * (an EventList, an Event or an array of them), authenticates the sender, decodes the body
 * as a whole and hands every event of an accepted body to the consumer exactly once before
 * answering 200. Bad bodies get 400 with the JSON path of the problem, oversized ones 413;
 * nothing of a refused body is evaluated, so the API server's retry cannot double-count.
 * @module
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Diagnostic } from '../../../core/index.ts';
import type { AuditEvent } from '../event.ts';
import { decodeText, DEFAULT_MAX_EVENT_SIZE } from '../reader.ts';
import { authenticator, type AuthOptions } from './auth.ts';

/** The k8saudit plugin's webhookMaxBatchSize default. */
export const DEFAULT_MAX_BODY = 12 * 1024 * 1024;

/** TLS material (PEM text). */
export interface TlsOptions {
  cert: string | Buffer;
  key: string | Buffer;
  /** CA for client certificates; set it to ask senders for certificates. */
  clientCa?: string | Buffer;
}

/** Webhook settings. */
export interface WebhookOptions extends AuthOptions {
  /** Endpoint path (Falco's default is /k8s-audit). */
  path?: string;
  maxBodyBytes?: number;
  maxEventSize?: number;
  tls?: TlsOptions;
  /** Receives the events of each accepted body, in order. */
  onEvents: (events: AuditEvent[]) => void;
  /** Told about refused requests and consumer failures. */
  onProblem?: (status: number, problem: Diagnostic | string) => void;
}

/** Counters of a webhook. */
export interface WebhookStats {
  requests: number;
  accepted: number;
  rejected: number;
  events: number;
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Creates the request handler (usable on any node:http/https server) and its counters. */
export function webhookHandler(opts: WebhookOptions): { handle: (req: IncomingMessage, res: ServerResponse) => void; stats: WebhookStats } {
  const path = opts.path ?? '/k8s-audit';
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const maxEventSize = opts.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
  const auth = authenticator({ ...opts, clientCerts: opts.clientCerts ?? !!opts.tls?.clientCa });
  const stats: WebhookStats = { requests: 0, accepted: 0, rejected: 0, events: 0 };
  let seq = 1;
  const refuse = (res: ServerResponse, status: number, problem: Diagnostic | string, headers?: Record<string, string>) => {
    stats.rejected++;
    opts.onProblem?.(status, problem);
    const error = typeof problem === 'string' ? { message: problem } : { code: problem.code, message: problem.message, jsonPath: problem.jsonPath, offset: problem.offset, line: problem.line, column: problem.column };
    reply(res, status, { error }, headers);
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    stats.requests++;
    const url = (req.url ?? '/').split('?')[0];
    if (url === '/healthz' && req.method === 'GET') return reply(res, 200, { status: 'ok' });
    if (url !== path) return refuse(res, 404, `no such endpoint ${url}`);
    if (req.method !== 'POST') return refuse(res, 405, `${req.method} method not allowed`, { allow: 'POST' });
    const denied = auth(req);
    if (denied) {
      req.resume();
      return refuse(res, 401, denied, { 'www-authenticate': 'Bearer' });
    }
    const type = req.headers['content-type'] ?? '';
    if (!type.includes('application/json')) {
      req.resume();
      return refuse(res, 415, 'content type must be application/json');
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBody) {
      res.setHeader('connection', 'close');
      res.on('finish', () => req.destroy());
      return refuse(res, 413, `body larger than ${maxBody} bytes`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > maxBody) {
        over = true;
        chunks.length = 0;
        res.setHeader('connection', 'close');
        res.on('finish', () => req.destroy()); // stop reading the rest
        refuse(res, 413, `body larger than ${maxBody} bytes`);
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => {
      over = true; // the client went away: nothing was accepted
    });
    req.on('end', () => {
      if (over) return;
      const result = decodeText(Buffer.concat(chunks, size).toString('utf8'), { maxEventSize, firstNum: seq });
      if (!result.ok) return refuse(res, 400, result.error);
      seq += result.events.length;
      stats.accepted++;
      stats.events += result.events.length;
      try {
        opts.onEvents(result.events);
      } catch (e) {
        // the events were evaluated up to the failure; a retry would evaluate them twice
        opts.onProblem?.(500, `consumer failed: ${(e as Error).message}`);
      }
      reply(res, 200, { accepted: result.events.length });
    });
  };
  return { handle, stats };
}

/** A running webhook server. */
export interface RunningWebhook {
  server: Server;
  stats: WebhookStats;
  /** The bound address, e.g. `https://127.0.0.1:9765/k8s-audit`. */
  url: string;
  close(): Promise<void>;
}

/** Starts the webhook on host:port (port 0 picks a free one). */
export async function startWebhook(host: string, port: number, opts: WebhookOptions): Promise<RunningWebhook> {
  const { handle, stats } = webhookHandler(opts);
  const server: Server = opts.tls
    ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key, ca: opts.tls.clientCa, requestCert: !!opts.tls.clientCa, rejectUnauthorized: false }, handle)
    : createHttpServer(handle);
  // bound the time a slow sender can hold a connection
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const a = server.address() as AddressInfo;
  const h = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return {
    server,
    stats,
    url: `${opts.tls ? 'https' : 'http'}://${h}:${a.port}${opts.path ?? '/k8s-audit'}`,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
