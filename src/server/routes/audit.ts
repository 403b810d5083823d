/**
 * Activity audit route: what a container, pod or process did, with linked alerts.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { runAuditQuery, type AuditQuery } from '../../audit/index.ts';
import type { ServerContext } from '../context.ts';

/** Registers `GET /api/v1/audit`. */
export function auditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: { container?: string; pod?: string; since?: string; until?: string; types?: string; pid?: number; limit?: number } }>('/api/v1/audit', {
    schema: {
      summary: 'Activity audit trail (exec, net, file) with the alerts of the same container',
      tags: ['audit'],
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          container: { type: 'string' },
          pod: { type: 'string', description: 'namespace/name or name' },
          since: { type: 'string' },
          until: { type: 'string' },
          types: { type: 'string', description: 'comma-separated: exec,net,file' },
          pid: { type: 'integer' },
          limit: { type: 'integer', minimum: 1, maximum: 5000, default: 200 },
        },
      },
    },
    handler: async (req) => {
      const q: AuditQuery = { ...req.query, types: req.query.types ? req.query.types.split(',') : undefined };
      return { activity: await runAuditQuery(ctx.store, q, { alerts: true }) };
    },
  });
}
