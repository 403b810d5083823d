/**
 * Alert routes: list with filters (time, priority, rule, source, container, pod, namespace,
 * text in the output) and keyset pagination, one alert, counts for the overview, and the live
 * stream (server-sent events). Filtering and counting happen in the store.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { activityForAlert, parseTimeBound } from '../../audit/index.ts';
import { error, PRIORITIES, type Priority } from '../../core/index.ts';
import { stringifyExact, type AlertFilter, type AlertPage } from '../../store/index.ts';
import type { AlertActivity, AlertSummary } from '../api-types.ts';
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
  cursor?: string;
}

const filterProps = {
  since: { type: 'string', maxLength: 64, description: 'duration back from now (1h) or ISO time; inclusive' },
  until: { type: 'string', maxLength: 64, description: 'duration back from now or ISO time; exclusive' },
  priority: { type: 'string', enum: [...PRIORITIES], description: 'at least this severe' },
  rule: { type: 'string', maxLength: 1024 },
  source: { type: 'string', maxLength: 64 },
  container: { type: 'string', maxLength: 128, description: 'container id (full or 12-character) or name' },
  pod: { type: 'string', maxLength: 253 },
  namespace: { type: 'string', maxLength: 253 },
  q: { type: 'string', maxLength: 256, description: 'case-insensitive text in the output line' },
} as const;

/** The store filter for API query parameters; bad times are VigilErrors (400). */
export function toFilter(f: Omit<AlertFilters, 'limit' | 'order' | 'cursor'>, now = Date.now()): AlertFilter {
  const q: AlertFilter = {};
  if (f.since) q.since = parseTimeBound(f.since, now, 'since');
  if (f.until) q.until = parseTimeBound(f.until, now, 'until');
  if (f.rule) q.rule = f.rule;
  if (f.source) q.source = f.source;
  if (f.priority) q.minPriority = f.priority as Priority;
  if (f.container) q.container = f.container;
  if (f.pod) q.pod = f.pod;
  if (f.namespace) q.namespace = f.namespace;
  if (f.q) q.text = f.q;
  return q;
}

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WIDTHS = [SEC, 2 * SEC, 5 * SEC, 10 * SEC, 15 * SEC, 30 * SEC, MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY];

/**
 * The chart's bucket width: the smallest round width (1 s ... 12 h, then whole days) giving at
 * most `buckets` buckets over `spanMs`. Round widths read well on an axis, and widths of whole
 * minutes and hours are what the store's summary tables can add up without touching rows.
 */
export function bucketWidth(spanMs: number, buckets: number): number {
  const want = spanMs / buckets;
  return WIDTHS.find((w) => w >= want) ?? Math.ceil(want / DAY) * DAY;
}

/** One page of alerts for API filters (newest first unless `order=oldest`). */
export async function findAlerts(ctx: Pick<ServerContext, 'store'>, f: AlertFilters, now = Date.now()): Promise<AlertPage> {
  return ctx.store.pageAlerts({ ...toFilter(f, now), newestFirst: f.order !== 'oldest', limit: Math.min(f.limit ?? 100, 1000), cursor: f.cursor });
}

/** Registers the alert routes. */
export function alertRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: AlertFilters }>('/api/v1/alerts', {
    schema: {
      summary: 'List alerts, newest first, one page at a time (pass next as cursor for the following page)',
      tags: ['alerts'],
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ...filterProps,
          limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          order: { type: 'string', enum: ['newest', 'oldest'], default: 'newest' },
          cursor: { type: 'string', maxLength: 512, description: 'next of the previous page (same filters and order)' },
        },
      },
      response: { 200: { type: 'object', properties: { alerts: { type: 'array', items: alertSchema }, next: { type: 'string' } } } },
    },
    // written with the store's exact JSON: int64 fields stay exact, and it is faster than the schema serializer for open objects
    handler: async (req, reply) => reply.type('application/json; charset=utf-8').send(stringifyExact(await findAlerts(ctx, req.query))),
  });

  app.get<{ Querystring: Omit<AlertFilters, 'limit' | 'order' | 'cursor'> & { buckets: number } }>('/api/v1/alerts/summary', {
    schema: {
      summary: 'Counts for the overview: total, by priority, per time bucket, top rules, containers, namespaces and pods',
      tags: ['alerts'],
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { ...filterProps, buckets: { type: 'integer', minimum: 1, maximum: 500, default: 48, description: 'time buckets between since and until (default: the oldest and newest matching alert)' } },
      },
    },
    handler: async (req, reply) => {
      const now = Date.now();
      const { buckets, ...rest } = req.query;
      const filter = toFilter(rest, now);
      // without bounds the buckets span the matching alerts themselves (a replayed old capture too)
      const edge = async (newestFirst: boolean) => (await ctx.store.pageAlerts({ ...filter, newestFirst, limit: 1 })).alerts[0]?.ts;
      const from = filter.since ?? (await edge(false)) ?? now;
      const to = filter.until ?? Math.max(((await edge(true)) ?? now) + 1, from + 1);
      const bucketMs = bucketWidth(to - from, buckets);
      const [stats, newest] = await Promise.all([
        ctx.store.alertStats({ ...filter, bucketMs }),
        ctx.store.pageAlerts({ ...filter, newestFirst: true, limit: 10 }),
      ]);
      const body: AlertSummary = { ...stats, since: from, until: to, bucketMs, newest: newest.alerts };
      return reply.type('application/json; charset=utf-8').send(stringifyExact(body));
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
      return reply.type('application/json; charset=utf-8').send(stringifyExact(a));
    },
  });

  app.get<{ Params: { id: string }; Querystring: { window: number; limit: number } }>('/api/v1/alerts/:id/activity', {
    schema: {
      summary: 'The activity audit of the alert\'s container (or host process) within a window around its time',
      tags: ['alerts', 'audit'],
      params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'] },
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { window: { type: 'integer', minimum: 1, maximum: 86_400, default: 300, description: 'seconds either side' }, limit: { type: 'integer', minimum: 1, maximum: 5000, default: 500 } },
      },
    },
    handler: async (req, reply) => {
      const a = await ctx.store.getAlert(req.params.id);
      if (!a) return sendErrors(reply, 404, [error('API_NOT_FOUND', `no alert ${req.params.id}`, { jsonPath: '$.id' })]);
      const f = a.alert.output_fields ?? {};
      const container = typeof f['container.id'] === 'string' && f['container.id'] !== 'host' ? f['container.id'] : undefined;
      const activity = await activityForAlert(ctx.store, req.params.id, req.query.window * 1000);
      const body: AlertActivity = { container, pid: container ? undefined : f['proc.pid'], windowMs: req.query.window * 1000, total: activity.length, activity: activity.slice(0, req.query.limit) };
      return body;
    },
  });

  app.get('/api/v1/stream', {
    schema: { summary: 'Live alerts as server-sent events (event: alert, data: StoredAlert JSON)', tags: ['alerts'] },
    handler: (req, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(': connected\n\n');
      const off = ctx.bus.subscribe((a) => res.write(`event: alert\nid: ${a.id}\ndata: ${stringifyExact(a)}\n\n`));
      // a comment line now and then keeps proxies from closing an idle stream
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      const close = () => {
        clearInterval(ping);
        off();
      };
      ping.unref();
      req.raw.on('close', close);
      streams.add(res);
      res.on('close', () => {
        close();
        streams.delete(res);
      });
    },
  });
}

/** Open SSE responses, ended when the server closes. */
export const streams = new Set<import('node:http').ServerResponse>();
