/**
 * Replay and ingestion routes: a capture or audit file from a server-side path (admin), the
 * Falco alert ingest endpoint and the Kubernetes audit webhook (mounted from their rooms).
 * @module
 */
import type { FastifyInstance } from 'fastify';
import type { RawHandler, ServerContext } from '../context.ts';

/** Mounts a node:http handler at `url`, handing it the unread body under `innerPath`. */
function mountRaw(app: FastifyInstance, url: string, innerPath: string, handler: RawHandler, summary: string): void {
  app.register(async (scope) => {
    // leave the body unread: the mounted handler streams and limits it itself
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    scope.post(url, { schema: { summary, tags: ['ingest'] }, config: { scopes: ['ingest', 'admin'] } }, (req, reply) => {
      reply.hijack();
      req.raw.url = innerPath;
      handler(req.raw, reply.raw);
    });
  });
}

/** Registers replay, Falco ingest and audit webhook routes. */
export function ingestRoutes(app: FastifyInstance, ctx: ServerContext): void {
  if (ctx.ingest) mountRaw(app, '/api/v1/ingest/falco', '/falco', ctx.ingest, "Falco alerts (http_output JSON, one object, an array or JSON lines)");
  if (ctx.auditWebhook) mountRaw(app, '/api/v1/ingest/k8s-audit', '/k8s-audit', ctx.auditWebhook, 'Kubernetes audit webhook (Event, EventList)');
  const replay = ctx.replay;
  if (!replay) return;
  app.post<{ Body: { path: string; rules?: string[] } }>('/api/v1/replay', {
    schema: {
      summary: 'Run a .scap capture or a k8s audit JSON file (server-side path) through detection into the store',
      tags: ['ingest'],
      body: {
        type: 'object',
        required: ['path'],
        additionalProperties: false,
        properties: {
          path: { type: 'string', minLength: 1, maxLength: 4096 },
          rules: { type: 'array', maxItems: 64, items: { type: 'string', minLength: 1, maxLength: 4096 }, description: 'rules files (server-side paths); default: the rules in force' },
        },
      },
    },
    config: { scopes: ['admin'] },
    handler: async (req) => replay(req.body.path, req.body.rules),
  });
}
