/**
 * The standalone exporter of `vigil metrics serve`: GET /metrics answers one scrape in the
 * Prometheus text format (node_exporter's port and path), GET /healthz answers ok, anything
 * else 404. No authentication, as node_exporter: bind it to an address only scrapers reach.
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VigilError } from '../core/index.ts';
import { exposition, scrape, TEXT_CONTENT_TYPE } from './scrape.ts';
import type { Collector } from './types.ts';

/** node_exporter's address. */
export const DEFAULT_LISTEN = '127.0.0.1:9100';

/** `host:port` or `[v6]:port` into its parts; METRICS_LISTEN_INVALID otherwise. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new VigilError('METRICS_LISTEN_INVALID', `--listen ${JSON.stringify(text)}: expected HOST:PORT (e.g. ${DEFAULT_LISTEN})`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

/** A running exporter. */
export interface MetricsServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** One scrape rendered as the text exposition. */
export async function metricsText(list: Collector[], onError?: (message: string) => void): Promise<string> {
  const r = await scrape(list);
  for (const e of r.errors) onError?.(e.message);
  return exposition(r.families);
}

/** Starts the exporter; resolves once it listens. */
export async function serveMetrics(list: Collector[], o: { host: string; port: number; onError?: (message: string) => void }): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('metrics are at /metrics\n');
      return;
    }
    metricsText(list, o.onError).then(
      (text) => res.writeHead(200, { 'content-type': TEXT_CONTENT_TYPE }).end(req.method === 'HEAD' ? undefined : text),
      (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`scrape failed: ${e.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return {
    server,
    url: `http://${host}:${a.port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
