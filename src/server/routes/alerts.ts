/**
 * Alert routes: list with filters, one alert, a summary for the overview, live stream (SSE).
 * The store filters by time, rule, priority, source and container; pod, namespace and the
 * full-text match are applied here over a bounded window of the store's answer.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { parseTimeBound } from '../../audit/index.ts';
import { error, PRIORITIES, type Priority } from '../../core/index.ts';
import type { AlertQuery, StoredAlert } from '../../store/index.ts';
import type { ServerContext } from '../context.ts';
import { sendErrors } from '../errors.ts';

const alertSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    ts: { type: 'number' },
    alert: { type: 'object', additionalProperties: true },
  },
};

/** Query-string filters of `GET /api/v1/alerts`. */
export interface AlertFilters {
  since?: string;
  until?: string;
  priority?: string;
  rule?: string;
  source?: string;
  container?: string;
  pod?: string;
  namespace?: string;
  q?: string;
  limit?: number;
  order?: 'newest' | 'oldest';
}

const POD_KEYS = ['k8s.pod.name', 'ka.target.name', 'ka.resp.name'];
const NS_KEYS = ['k8s.ns.name', 'ka.target.namespace'];
const CONTAINER_KEYS = ['container.id', 'container.name'];

function field(a: StoredAlert, keys: string[]): string {
  for (const k of keys) {
    const v = a.alert.output_fields?.[k];
    if (v !== undefined && v !== null) return String(v);
  }
  return '';
}

/** Runs filters against the store; rejects bad values with diagnostics (VigilError). */
export async function findAlerts(ctx: ServerContext, f: AlertFilters, now = Date.now()): Promise<StoredAlert[]> {
  const limit = Math.min(f.limit ?? 100, 1000);
  const q: AlertQuery = { newestFirst: f.order !== 'oldest' };
  if (f.since) q.since = parseTimeBound(f.since, now, 'since');
  if (f.until) q.until = parseTimeBound(f.until, now, 'until');
  if (f.rule) q.rule = f.rule;
  if (f.source) q.source = f.source;
  if (f.priority) q.minPriority = f.priority as Priority;
  const post = !!(f.pod || f.namespace || f.q || f.container);
  // post-filtered queries read a bounded window so one request cannot scan the whole store
  q.limit = post ? 20_000 : limit;
  let rows = await ctx.store.queryAlerts(q);
  if (post) {
    const text = f.q?.toLowerCase();
    rows = rows.filter(
      (a) =>
        (!f.pod || field(a, POD_KEYS) === f.pod) &&
        (!f.namespace || field(a, NS_KEYS) === f.namespace) &&
        (!f.container || field(a, CONTAINER_KEYS).startsWith(f.container)) &&
        (!text || a.alert.output.toLowerCase().includes(text)),
    );
  }
  return rows.slice(0, limit);
}

/** Registers the alert routes. */
export function alertRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: AlertFilters }>('/api/v1/alerts', {
    schema: {
      summary: 'List alerts, newest first',
      tags: ['alerts'],
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          since: { type: 'string', description: 'duration back from now (1h) or ISO time' },
          until: { type: 'string' },
          priority: { type: 'string', enum: [...PRIORITIES], description: 'at least this severe' },
          rule: { type: 'string' },
          source: { type: 'string' },
          container: { type: 'string', description: 'container id prefix or name' },
          pod: { type: 'string' },
          namespace: { type: 'string' },
          q: { type: 'string', description: 'case-insensitive text in the output line' },
          limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          order: { type: 'string', enum: ['newest', 'oldest'], default: 'newest' },
        },
      },
      response: { 200: { type: 'object', properties: { alerts: { type: 'array', items: alertSchema } } } },
    },
    handler: async (req) => ({ alerts: await findAlerts(ctx, req.query) }),
  });

  app.get('/api/v1/alerts/summary', {
    schema: {
      summary: 'Counts by priority and top rules over the newest alerts (up to 10 000)',
      tags: ['alerts'],
      querystring: { type: 'object', additionalProperties: false, properties: { since: { type: 'string' } } },
    },
    handler: async (req) => {
      const since = (req.query as { since?: string }).since;
      const rows = await ctx.store.queryAlerts({ newestFirst: true, limit: 10_000, since: since ? parseTimeBound(since, Date.now(), 'since') : undefined });
      const byPriority: Record<string, number> = Object.fromEntries(PRIORITIES.map((p) => [p, 0]));
      const byRule = new Map<string, number>();
      const byContainer = new Map<string, number>();
      for (const r of rows) {
        byPriority[r.alert.priority] = (byPriority[r.alert.priority] ?? 0) + 1;
        byRule.set(r.alert.rule, (byRule.get(r.alert.rule) ?? 0) + 1);
        const c = field(r, ['container.name', 'container.id']);
        if (c) byContainer.set(c, (byContainer.get(c) ?? 0) + 1);
      }
      const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10).map(([name, count]) => ({ name, count }));
      return { total: rows.length, byPriority, topRules: top(byRule), topContainers: top(byContainer), newest: rows.slice(0, 10) };
    },
  });

  app.get<{ Params: { id: string } }>('/api/v1/alerts/:id', {
    schema: {
      summary: 'One alert and the activity of its container around that time',
      tags: ['alerts'],
      params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'] },
    },
    handler: async (req, reply) => {
      const a = await ctx.store.getAlert(req.params.id);
      if (!a) return sendErrors(reply, 404, [error('API_NOT_FOUND', `no alert ${req.params.id}`, { jsonPath: '$.id' })]);
      return a;
    },
  });

  app.get('/api/v1/stream', {
    schema: { summary: 'Live alerts as server-sent events (event: alert, data: StoredAlert JSON)', tags: ['alerts'] },
    handler: (req, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(': connected\n\n');
      const off = ctx.bus.subscribe((a) => res.write(`event: alert\nid: ${a.id}\ndata: ${JSON.stringify(a)}\n\n`));
      // a comment line now and then keeps proxies from closing an idle stream
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      const close = () => {
        clearInterval(ping);
        off();
      };
      req.raw.on('close', close);
      streams.add(res);
      res.on('close', () => streams.delete(res));
    },
  });
}

/** Open SSE responses, ended when the server closes. */
export const streams = new Set<import('node:http').ServerResponse>();
