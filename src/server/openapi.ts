/**
 * The OpenAPI 3.1 document, generated from the schemas of the routes as they register, so
 * the document cannot drift from what the server validates.
 * @module
 */
import type { FastifyInstance, RouteOptions } from 'fastify';

interface Op {
  method: string;
  url: string;
  schema: Record<string, unknown>;
  scopes: string[];
}

/** Collects routes (call before registering them) and serves `/api/v1/openapi.json`. */
export function openApi(app: FastifyInstance, version: string): void {
  const ops: Op[] = [];
  app.addHook('onRoute', (r: RouteOptions) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const m of methods) {
      if (m === 'HEAD' || !r.url.startsWith('/api/') && !r.url.startsWith('/healthz') && !r.url.startsWith('/readyz') && r.url !== '/metrics') continue;
      const cfg = r.config as { scopes?: string[]; public?: boolean } | undefined;
      ops.push({ method: m.toLowerCase(), url: r.url, schema: (r.schema ?? {}) as Record<string, unknown>, scopes: cfg?.public ? [] : cfg?.scopes ?? ['read', 'admin'] });
    }
  });
  app.get('/api/v1/openapi.json', { schema: { summary: 'This document', tags: ['meta'] } }, async () => document(ops, version));
}

function parameters(schema: Record<string, unknown>, where: 'query' | 'path'): unknown[] {
  const s = schema[where === 'query' ? 'querystring' : 'params'] as { properties?: Record<string, unknown>; required?: string[] } | undefined;
  return Object.entries(s?.properties ?? {}).map(([name, sch]) => ({
    name, in: where, required: where === 'path' || (s?.required ?? []).includes(name), schema: sch,
  }));
}

/** Builds the document from the collected routes. */
function document(ops: Op[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const o of ops) {
    const path = o.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    const s = o.schema;
    const op: Record<string, unknown> = {
      summary: s.summary ?? `${o.method.toUpperCase()} ${path}`,
      tags: s.tags ?? [],
      operationId: `${o.method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      parameters: [...parameters(s, 'path'), ...parameters(s, 'query')],
      responses: {
        ...Object.fromEntries(Object.entries((s.response ?? {}) as Record<string, unknown>).map(([code, sch]) => [code, { description: 'OK', content: { 'application/json': { schema: sch } } }])),
        ...(s.response ? {} : { 200: { description: 'OK' } }),
        ...(o.scopes.length ? { 401: { description: 'no or unknown token' }, 403: { description: 'token scope too small' } } : {}),
        400: { description: 'bad request: {errors: [{code, message, jsonPath}]}' },
      },
    };
    if (o.scopes.length) {
      op.security = [{ bearer: [] }];
      op['x-vigil-scopes'] = o.scopes;
    }
    if (s.body) op.requestBody = { required: true, content: { [typeof (s.body as { type?: string }).type === 'string' && (s.body as { type?: string }).type === 'string' ? 'text/plain' : 'application/json']: { schema: s.body } } };
    (paths[path] ??= {})[o.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Vigil API', version },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
