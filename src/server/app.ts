/**
 * The fastify application: bearer-token auth with scopes on every route but health and the
 * static UI, body limits, one error shape, no CORS (no cross-origin headers are ever sent),
 * the routes and the OpenAPI document generated from their schemas.
 * @module
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { error } from '../core/index.ts';
import type { ServerContext } from './context.ts';
import { errorHandler, sendErrors } from './errors.ts';
import { openApi } from './openapi.ts';
import { alertRoutes } from './routes/alerts.ts';
import { auditRoutes } from './routes/audit.ts';
import { complianceRoutes } from './routes/compliance.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { metricsRoute } from './routes/metrics.ts';
import { rulesRoutes, rulesUploadRoute } from './routes/rules.ts';
import { scanRoutes } from './routes/scans.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { staticRoutes } from './static.ts';
import type { Scope } from './tokens.ts';

/** The API version reported in the OpenAPI document. */
export const API_VERSION = '1.0.0';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Token scopes allowed on the route (default: read and admin). */
    scopes?: Scope[];
    /** No token needed (health, the static UI). */
    public?: boolean;
  }
  interface FastifyInstance {
    /** Every route registered on this app (for the tests that check each one is guarded). */
    vigilRoutes: RouteInfo[];
  }
  interface FastifySchema {
    /** One line for the OpenAPI document. */
    summary?: string;
    tags?: string[];
  }
}

/** The byte offset a JSON.parse message names: its position, or the end for a truncated text. */
export function jsonErrorOffset(message: string, length: number): number | undefined {
  const m = /at position (\d+)/.exec(message);
  if (m) return Number(m[1]);
  return /end of JSON input|Unexpected end/i.test(message) || length === 0 ? length : undefined;
}

/** A registered route and who may call it. */
export interface RouteInfo {
  method: string;
  url: string;
  public: boolean;
  scopes: Scope[];
  /** Whether the route validates a request body (so a malformed one must be a 400). */
  hasBody: boolean;
}

/** Builds the app (not listening yet). */
export async function buildApp(ctx: ServerContext, opts: { logger?: boolean; tls?: { cert: string | Buffer; key: string | Buffer } } = {}): Promise<FastifyInstance> {
  const base = { logger: opts.logger ?? false, bodyLimit: ctx.bodyLimit ?? 1024 * 1024, return503OnClosing: true };
  // routes see the same request and reply API over HTTPS, only the server type differs
  const app = (opts.tls ? Fastify({ ...base, https: { cert: opts.tls.cert, key: opts.tls.key } }) : Fastify(base)) as unknown as FastifyInstance;
  const routes: RouteInfo[] = [];
  app.decorate('vigilRoutes', routes);
  app.addHook('onRoute', (r) => {
    const cfg = (r.config ?? {}) as { public?: boolean; scopes?: Scope[] };
    for (const m of [r.method].flat()) {
      if (m !== 'HEAD') routes.push({ method: m, url: r.url, public: !!cfg.public, scopes: cfg.scopes ?? ['read', 'admin'], hasBody: !!r.schema?.body });
    }
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => sendErrors(reply, 404, [error('API_NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`)]));
  // fastify's own JSON parser (with its prototype-poisoning guard), plus where the text broke
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) =>
    json(req, body as string, (err, value) => {
      if (!err) return done(null, value);
      // the default parser hides JSON.parse's message; parse again (only on failure) to say where
      let why = 'the body is JSON with a forbidden __proto__ or constructor.prototype key';
      try {
        JSON.parse(body as string);
      } catch (e) {
        why = (e as Error).message;
      }
      done(Object.assign(new SyntaxError(`body is not valid JSON: ${why}`), { statusCode: 400, offset: jsonErrorOffset(why, (body as string).length) }), undefined);
    }),
  );
  for (const t of ['text/yaml', 'application/yaml', 'application/x-yaml']) app.addContentTypeParser(t, { parseAs: 'string' }, (_r, body, done) => done(null, body));

  app.addHook('onRequest', async (req, reply) => {
    const cfg = req.routeOptions.config;
    // the UI's catch-all route is public, but no path under /api/ is (unknown ones included)
    if (cfg?.public && !req.url.startsWith('/api/')) return;
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const rec = m ? ctx.tokens.verify(m[1]) : undefined;
    if (!rec) {
      reply.header('www-authenticate', 'Bearer');
      return sendErrors(reply, 401, [error('API_UNAUTHORIZED', m ? 'unknown token' : 'send Authorization: Bearer <token>')]);
    }
    const allowed = cfg?.scopes ?? ['read', 'admin'];
    if (!allowed.includes(rec.scope)) return sendErrors(reply, 403, [error('API_FORBIDDEN', `this route needs scope ${allowed.join(' or ')}; the token has ${rec.scope}`)]);
  });

  openApi(app, API_VERSION);
  app.get('/healthz', { config: { public: true }, schema: { summary: 'Liveness', tags: ['meta'] } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { public: true }, schema: { summary: 'Readiness (503 while starting or draining)', tags: ['meta'] } }, async (_req, reply) =>
    ctx.ready() ? { status: 'ready' } : reply.code(503).send({ status: 'not ready' }));
  alertRoutes(app, ctx);
  auditRoutes(app, ctx);
  complianceRoutes(app, ctx);
  ingestRoutes(app, ctx);
  metricsRoute(app, ctx);
  rulesRoutes(app, ctx);
  rulesUploadRoute(app, ctx);
  scanRoutes(app, ctx);
  tokenRoutes(app, ctx);
  staticRoutes(app, ctx.webDir);
  await app.ready();
  return app;
}
