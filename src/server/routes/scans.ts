/**
 * Image scan routes: submit a scan of an image (archive, OCI layout, registry reference) or a
 * directory on the server's side, list kept scans, read one scan's findings with filters, and
 * the newest findings of a severity across scans (for the overview).
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { error } from '../../core/index.ts';
import type { ScanResult } from '../../scan/index.ts';
import type { ServerContext } from '../context.ts';
import { sendErrors } from '../errors.ts';
import { Shelf } from '../shelf.ts';
import type { FindingAcross, FindingRow, ScanSummary } from '../api-types.ts';

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;

interface ScanDoc {
  target: { source: string; format: string; repoTags: string[]; imageId?: string };
  findings: FindingRow[];
  diagnostics: ScanResult['diagnostics'];
}

function toDoc(kind: 'image' | 'fs', ref: string, r: ScanResult): { summary: ScanSummary; doc: ScanDoc } {
  const findings: FindingRow[] = r.findings.map((f) => ({
    vulnId: f.vulnId, severity: f.severity, pkg: f.pkg.name, type: f.pkg.type, installed: f.installed,
    fixed: f.fixed, status: f.status, title: f.title, cvssScore: f.cvssScore,
  }));
  findings.sort((a, b) => SEVERITIES.indexOf(a.severity as never) - SEVERITIES.indexOf(b.severity as never) || a.vulnId.localeCompare(b.vulnId));
  const bySeverity: Record<string, number> = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  for (const f of findings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
  const os = r.inventory.os ? `${r.inventory.os.family} ${r.inventory.os.version}` : undefined;
  return {
    summary: { kind, ref, os, packages: r.inventory.packages.length, findings: findings.length, fixable: findings.filter((f) => f.fixed).length, bySeverity },
    doc: { target: { source: r.target.source, format: r.target.format, repoTags: r.target.repoTags, imageId: r.target.imageId }, findings, diagnostics: r.diagnostics },
  };
}

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } };
const severityParam = { type: 'string', enum: [...SEVERITIES], description: 'only this severity' };

/** Registers the scan routes. */
export function scanRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const shelf = new Shelf<ScanSummary, ScanDoc>(ctx.dataDir ? `${ctx.dataDir}/scans` : undefined);
  const notFound = (reply: Parameters<typeof sendErrors>[0], id: string) => sendErrors(reply, 404, [error('API_NOT_FOUND', `no scan ${id}`, { jsonPath: '$.id' })]);

  app.post<{ Body: { kind?: 'image' | 'fs'; ref: string } }>('/api/v1/scans', {
    schema: {
      summary: 'Scan an image (docker-archive, OCI layout, registry reference) or a directory on the server, and keep the result',
      tags: ['scans'],
      body: {
        type: 'object', required: ['ref'], additionalProperties: false,
        properties: { kind: { type: 'string', enum: ['image', 'fs'], default: 'image' }, ref: { type: 'string', minLength: 1, maxLength: 4096 } },
      },
    },
    config: { scopes: ['admin'] },
    handler: async (req, reply) => {
      if (!ctx.scan) return sendErrors(reply, 501, [error('API_UNAVAILABLE', 'this server has no scanner')]);
      const kind = req.body.kind ?? 'image';
      const { summary, doc } = toDoc(kind, req.body.ref, await ctx.scan(kind, req.body.ref));
      const it = shelf.add(summary, doc);
      return reply.code(201).send({ id: it.id, created: it.created, summary, diagnostics: doc.diagnostics });
    },
  });

  app.get('/api/v1/scans', {
    schema: { summary: 'Kept scans, newest first (counts by severity, fixable)', tags: ['scans'] },
    handler: async () => ({ scans: shelf.list() }),
  });

  app.get<{ Params: { id: string } }>('/api/v1/scans/:id', {
    schema: { summary: 'One scan: target, counts and diagnostics', tags: ['scans'], params: idParams },
    handler: async (req, reply) => {
      const it = shelf.get(req.params.id);
      if (!it) return notFound(reply, req.params.id);
      return { id: it.id, created: it.created, summary: it.summary, target: it.doc.target, diagnostics: it.doc.diagnostics };
    },
  });

  app.get<{ Params: { id: string }; Querystring: { severity?: string; fixable?: boolean; q?: string; limit: number; offset: number } }>('/api/v1/scans/:id/findings', {
    schema: {
      summary: 'Findings of one scan, most severe first',
      tags: ['scans'],
      params: idParams,
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          severity: severityParam,
          fixable: { type: 'boolean', description: 'only findings with (true) or without (false) a fixed version' },
          q: { type: 'string', maxLength: 200, description: 'text in the vulnerability id or package name' },
          limit: { type: 'integer', minimum: 1, maximum: 5000, default: 500 },
          offset: { type: 'integer', minimum: 0, default: 0 },
        },
      },
    },
    handler: async (req, reply) => {
      const it = shelf.get(req.params.id);
      if (!it) return notFound(reply, req.params.id);
      const { severity, fixable, q, limit, offset } = req.query;
      const text = q?.toLowerCase();
      const rows = it.doc.findings.filter(
        (f) => (!severity || f.severity === severity) && (fixable === undefined || !!f.fixed === fixable) && (!text || f.vulnId.toLowerCase().includes(text) || f.pkg.toLowerCase().includes(text)),
      );
      return { total: rows.length, findings: rows.slice(offset, offset + limit) };
    },
  });

  app.get<{ Querystring: { severity: string; limit: number } }>('/api/v1/findings', {
    schema: {
      summary: 'Findings at least this severe across the newest scans, newest scan first (for the overview)',
      tags: ['scans'],
      querystring: { type: 'object', additionalProperties: false, properties: { severity: { type: 'string', enum: [...SEVERITIES], default: 'CRITICAL', description: 'at least this severe' }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 10 } } },
    },
    handler: async (req) => {
      const out: FindingAcross[] = [];
      const worst = SEVERITIES.indexOf(req.query.severity as (typeof SEVERITIES)[number]);
      for (const s of shelf.list()) {
        const doc = shelf.get(s.id)!.doc;
        for (const f of doc.findings) {
          if (SEVERITIES.indexOf(f.severity as (typeof SEVERITIES)[number]) > worst) continue;
          out.push({ ...f, scan: s.id, ref: s.summary.ref, created: s.created });
          if (out.length >= req.query.limit) return { findings: out };
        }
      }
      return { findings: out };
    },
  });
}
