/**
 * Compliance routes: Pod Security Standards verdicts and workload posture for a posted
 * manifest (multi-document YAML or JSON). Bad documents come back as diagnostics with
 * their line, the rest is still judged.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { checkManifestText, loadManifests, parseLevel, parseVersion, scanObjects } from '../../compliance/index.ts';
import type { ServerContext } from '../context.ts';

const manifestBody = { type: 'string', description: 'manifest text (text/yaml, text/plain or application/json)' };

/** Registers the compliance routes. */
export function complianceRoutes(app: FastifyInstance, _ctx: ServerContext): void {
  app.post<{ Body: string; Querystring: { level: string; version: string } }>('/api/v1/compliance/pss', {
    schema: {
      summary: 'Pod Security Standards verdicts for the posted manifest',
      tags: ['compliance'],
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { level: { type: 'string', enum: ['baseline', 'restricted', 'privileged'], default: 'restricted' }, version: { type: 'string', default: 'latest' } },
      },
      body: manifestBody,
    },
    handler: async (req) => {
      const level = parseLevel(req.query.level);
      const version = parseVersion(req.query.version);
      const r = checkManifestText(req.body, 'upload', level, version);
      return { level, version: req.query.version, results: r.results, diagnostics: r.diagnostics };
    },
  });

  app.post<{ Body: string }>('/api/v1/compliance/posture', {
    schema: { summary: 'Workload posture (controls, framework scores) for the posted manifest', tags: ['compliance'], body: manifestBody },
    handler: async (req) => {
      const loaded = loadManifests(req.body, 'upload');
      const report = scanObjects(loaded.objects.map((o) => o.obj));
      return { ...report, diagnostics: [...loaded.diagnostics, ...report.diagnostics] };
    },
  });
}
