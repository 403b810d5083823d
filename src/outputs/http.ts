/**
 * HTTP(S) output: POSTs each alert as Falco's JSON object (what Falcosidekick and Falco Talon
 * read), plus the `uuid` key Falcosidekick itself uses and an `X-Vigil-Alert-Id` header, so
 * receivers can drop the duplicates that at-least-once delivery may produce.
 * @module
 */
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { VigilError } from '../core/index.ts';
import { renderAlert } from './format.ts';
import { DeliveryError, type AlertFormat, type Channel, type ChannelDefinition } from './types.ts';

/** `http_output` (Falco's keys, plus `headers`, `timeout_ms`, `concurrency`). */
export interface HttpOutputConfig {
  url: string;
  user_agent?: string;
  insecure?: boolean;
  ca_cert?: string;
  ca_bundle?: string;
  ca_path?: string;
  mtls?: boolean;
  client_cert?: string;
  client_key?: string;
  compress_uploads?: boolean;
  keep_alive?: boolean;
  headers?: Record<string, string>;
  timeout_ms?: number;
  concurrency?: number;
  /** Channel name when several HTTP outputs exist. */
  name?: string;
  /** Falco's `echo`: write each response body to standard output (or `echoStream`). */
  echo?: boolean;
  echoStream?: NodeJS.WritableStream;
  /** Falco's `max_consecutive_timeouts`: attempts per alert while the request times out (0 counts as 1). */
  max_consecutive_timeouts?: number;
}

/** Marks a request that timed out, so `send` may try it again at once. */
class TimeoutError extends Error {}

function readPem(path: string, key: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new VigilError('CONFIG_FILE_UNREADABLE', `cannot read ${key} ${path}: ${(e as Error).message}`, { jsonPath: `$.http_output.${key}` });
  }
}

function caList(c: HttpOutputConfig): Buffer[] | undefined {
  const out: Buffer[] = [];
  if (c.ca_cert) out.push(readPem(c.ca_cert, 'ca_cert'));
  if (c.ca_bundle) out.push(readPem(c.ca_bundle, 'ca_bundle'));
  if (c.ca_path) {
    let names: string[] = [];
    try {
      names = readdirSync(c.ca_path).filter((n) => /\.(pem|crt)$/.test(n));
    } catch (e) {
      throw new VigilError('CONFIG_FILE_UNREADABLE', `cannot list ca_path ${c.ca_path}: ${(e as Error).message}`, { jsonPath: '$.http_output.ca_path' });
    }
    for (const n of names) out.push(readPem(join(c.ca_path, n), 'ca_path'));
  }
  return out.length ? out : undefined;
}

/** Creates an HTTP(S) channel. */
export function createHttpChannel(c: HttpOutputConfig, format: AlertFormat): Channel {
  let url: URL;
  try {
    url = new URL(c.url);
  } catch {
    throw new VigilError('CONFIG_INVALID', `http_output.url is not a URL: ${c.url}`, { jsonPath: '$.http_output.url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new VigilError('CONFIG_INVALID', `http_output.url must be http or https, got ${url.protocol}`, { jsonPath: '$.http_output.url' });
  }
  const secure = url.protocol === 'https:';
  const concurrency = c.concurrency ?? 8;
  const agentOpts = { keepAlive: c.keep_alive ?? true, maxSockets: concurrency };
  const agent = secure
    ? new https.Agent({
        ...agentOpts,
        ca: caList(c),
        rejectUnauthorized: !c.insecure,
        ...(c.mtls ? { cert: readPem(c.client_cert ?? '/etc/falco/certs/client/client.crt', 'client_cert'), key: readPem(c.client_key ?? '/etc/falco/certs/client/client.key', 'client_key') } : {}),
      })
    : new http.Agent(agentOpts);
  const timeout = c.timeout_ms ?? 2000;
  const baseHeaders: Record<string, string> = {
    'Content-Type': format.json ? 'application/json' : 'text/plain',
    'User-Agent': c.user_agent ?? 'falcosecurity/falco',
    ...(c.compress_uploads ? { 'Content-Encoding': 'gzip' } : {}),
    ...c.headers,
  };
  const request = secure ? https.request : http.request;

  const attempts = Math.max(1, c.max_consecutive_timeouts ?? 5);
  const echo = c.echo ? (c.echoStream ?? process.stdout) : undefined;

  // like Falco, a timed-out POST is repeated right away up to max_consecutive_timeouts times;
  // after that the outbox's back-off takes over (the alert stays pending, not dropped)
  async function send(alert: Parameters<Channel['send']>[0], id: string): Promise<void> {
    const text = renderAlert(alert, id, format);
    const body = c.compress_uploads ? gzipSync(text) : Buffer.from(text);
    for (let i = 1; ; i++) {
      try {
        return await post(body, id);
      } catch (e) {
        if (!(e instanceof TimeoutError) || i >= attempts) {
          throw e instanceof DeliveryError ? e : new DeliveryError((e as Error).message, false, { cause: e });
        }
      }
    }
  }

  function post(body: Buffer, id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = request(url, {
        method: 'POST', agent, timeout,
        headers: { ...baseHeaders, 'Content-Length': String(body.length), 'X-Vigil-Alert-Id': id },
      }, (res) => {
        const chunks: Buffer[] = [];
        if (echo) res.on('data', (b: Buffer) => chunks.push(b));
        else res.resume();
        res.on('error', (e) => reject(new DeliveryError(e.message)));
        res.on('end', () => {
          if (echo && chunks.length) echo.write(Buffer.concat(chunks).toString('utf8') + '\n');
          const code = res.statusCode ?? 0;
          if (code >= 200 && code < 300) resolve();
          // 408/429 and 5xx say "later"; other refusals will not change by retrying soon
          else reject(new DeliveryError(`HTTP ${code} from ${url.host}`, code >= 400 && code < 500 && code !== 408 && code !== 429));
        });
      });
      req.on('timeout', () => req.destroy(new TimeoutError(`timed out after ${timeout} ms`)));
      req.on('error', (e) => reject(e instanceof TimeoutError ? e : new DeliveryError(e.message, false, { cause: e })));
      req.end(body);
    });
  }

  return {
    name: c.name ?? 'http',
    concurrency,
    send,
    async close() {
      agent.destroy();
    },
  };
}

/** The `http` channel kind. */
export const httpChannel: ChannelDefinition<HttpOutputConfig> = {
  id: 'http',
  version: '1',
  description: 'HTTP(S) POST of Falco JSON alerts (Falcosidekick, Falco Talon, webhooks)',
  create: createHttpChannel,
};
