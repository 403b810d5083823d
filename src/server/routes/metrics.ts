/**
 * GET /metrics: host, container and Vigil counters in the Prometheus text format (the metrics
 * room renders them). It needs a read or admin token unless `vigil up --metrics-public` made it
 * public (as Falco's and node_exporter's are); Prometheus sends a token with
 * `authorization: {credentials: ...}` in the scrape config.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { error } from '../../core/index.ts';
import type { ServerContext } from '../context.ts';
import { sendErrors } from '../errors.ts';

/** Registers `/metrics`. */
export function metricsRoute(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/metrics', {
    schema: { summary: 'Prometheus metrics (node_exporter, cAdvisor and Falco names)', tags: ['meta'] },
    config: { public: ctx.metrics?.public === true },
    handler: async (_req, reply) => {
      if (!ctx.metrics) return sendErrors(reply, 404, [error('API_NOT_FOUND', 'metrics are not collected by this server')]);
      const m = await ctx.metrics.text();
      return reply.type(m.contentType).send(m.body);
    },
  });
}
