/**
 * Compliance routes: Pod Security Standards verdicts and workload posture for a posted
 * manifest (multi-document YAML or JSON), the kept posture reports with their framework
 * scores, and the waivers applied to posture scans. Bad documents come back as diagnostics
 * with their line, the rest is still judged.
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { checkManifestText, loadManifests, parseLevel, parseVersion, parseWaivers, scanObjects, type PostureReport, type Waiver } from '../../compliance/index.ts';
import { error } from '../../core/index.ts';
import type { ServerContext } from '../context.ts';
import { sendErrors } from '../errors.ts';
import { Shelf } from '../shelf.ts';

const manifestBody = { type: 'string', description: 'manifest text (text/yaml, text/plain or application/json)' };

/** What a report list shows. */
export interface PostureSummary {
  name: string;
  objects: number;
  score: number | null;
  weightedScore: number | null;
  failedControls: number;
  acceptedControls: number;
  frameworks: { id: string; name: string; score: number | null }[];
}

/** Registers the compliance routes. */
export function complianceRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const shelf = new Shelf<PostureSummary, PostureReport>(ctx.dataDir ? join(ctx.dataDir, 'posture') : undefined);
  const waiverFile = ctx.dataDir ? join(ctx.dataDir, 'waivers.yaml') : undefined;
  let waiverText = waiverFile && existsSync(waiverFile) ? readFileSync(waiverFile, 'utf8') : 'waivers: []\n';
  let waivers: Waiver[] = parseWaivers(waiverText, 'waivers.yaml').waivers;

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

  app.post<{ Body: string; Querystring: { name?: string } }>('/api/v1/compliance/posture', {
    schema: {
      summary: 'Workload posture (controls, framework scores) for the posted manifest, with the waivers in force; the report is kept',
      tags: ['compliance'],
      querystring: { type: 'object', additionalProperties: false, properties: { name: { type: 'string', maxLength: 200, description: 'label of the kept report' } } },
      body: manifestBody,
    },
    // the report is kept, so this changes what everyone sees: not for read-only tokens
    config: { scopes: ['admin'] },
    handler: async (req) => {
      const loaded = loadManifests(req.body, 'upload');
      const report = scanObjects(loaded.objects.map((o) => o.obj), { waivers });
      const full = { ...report, diagnostics: [...loaded.diagnostics, ...report.diagnostics] };
      const it = shelf.add(
        {
          name: req.query.name ?? 'upload', objects: loaded.objects.length, score: report.score, weightedScore: report.weightedScore,
          failedControls: report.controls.filter((c) => c.status === 'failed').length,
          acceptedControls: report.controls.filter((c) => c.status === 'accepted').length,
          frameworks: report.frameworks.map((f) => ({ id: f.id, name: f.name, score: f.score })),
        },
        full,
      );
      return { id: it.id, ...full };
    },
  });

  app.get('/api/v1/compliance/reports', {
    schema: { summary: 'Kept posture reports, newest first (scores per framework)', tags: ['compliance'] },
    handler: async () => ({ reports: shelf.list() }),
  });

  app.get<{ Params: { id: string } }>('/api/v1/compliance/reports/:id', {
    schema: {
      summary: "One kept posture report ('latest' for the newest): controls, failing objects, waivers applied",
      tags: ['compliance'],
      params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } },
    },
    handler: async (req, reply) => {
      const it = req.params.id === 'latest' ? shelf.latest() : shelf.get(req.params.id);
      if (!it) return sendErrors(reply, 404, [error('API_NOT_FOUND', `no report ${req.params.id}`, { jsonPath: '$.id' })]);
      return { id: it.id, created: it.created, summary: it.summary, report: it.doc };
    },
  });

  app.get('/api/v1/compliance/waivers', {
    schema: { summary: 'Waivers applied to posture scans (accepted risks with reason and expiry)', tags: ['compliance'] },
    handler: async () => ({ waivers, text: waiverText }),
  });

  app.put<{ Body: string }>('/api/v1/compliance/waivers', {
    schema: { summary: 'Replace the waivers (YAML: waivers: [{control, namespace?, name?, kind?, reason, expires?}])', tags: ['compliance'], body: { type: 'string', maxLength: 262_144 } },
    config: { scopes: ['admin'] },
    handler: async (req, reply) => {
      const parsed = parseWaivers(req.body, 'waivers.yaml');
      const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length) return sendErrors(reply, 400, errors);
      waiverText = req.body;
      waivers = parsed.waivers;
      if (waiverFile) writeFileSync(waiverFile, waiverText, { mode: 0o600 });
      return { waivers, diagnostics: parsed.diagnostics };
    },
  });
}
