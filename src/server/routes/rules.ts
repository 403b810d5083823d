/**
 * Rules routes: the rules in force, enable/disable, validation of a rules file with the
 * loader's own diagnostics (codes and file:line:column positions), and upload: a file that
 * loads together with the rules in force is kept in `<data>/rules/` and loaded from the next
 * start on (the running engines keep their compiled rules).
 * @module
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadSyscallRulesText } from '../../engine/index.ts';
import { error } from '../../core/index.ts';
import type { ServerContext } from '../context.ts';
import { sendErrors } from '../errors.ts';

/** Registers the rules routes. */
export function rulesRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/v1/rules', {
    schema: { summary: 'The loaded rules (name, priority, source, tags, enabled)', tags: ['rules'] },
    handler: async () => ({
      files: ctx.rules.files,
      uploaded: uploadedFiles(ctx),
      rules: ctx.rules.compiled.map((r) => ({ name: r.name, desc: r.desc, priority: r.priority, source: r.source, tags: r.tags, enabled: ctx.rules.isActive ? ctx.rules.isActive(r) : r.enabled, condition: r.condition, output: r.output })),
      warnings: ctx.rules.warnings,
    }),
  });

  app.patch<{ Params: { name: string }; Body: { enabled: boolean } }>('/api/v1/rules/:name', {
    schema: {
      summary: 'Enable or disable a loaded rule by its exact name (until restart)',
      tags: ['rules'],
      params: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 1024 } } },
      body: { type: 'object', required: ['enabled'], additionalProperties: false, properties: { enabled: { type: 'boolean' } } },
    },
    config: { scopes: ['admin'] },
    handler: async (req, reply) => {
      const n = ctx.rules.setEnabled?.(req.params.name, req.body.enabled) ?? 0;
      if (!n) return sendErrors(reply, 404, [error('API_NOT_FOUND', `no loaded rule named ${JSON.stringify(req.params.name)}`, { jsonPath: '$.name' })]);
      return { name: req.params.name, enabled: req.body.enabled };
    },
  });

  app.post<{ Body: string | { name?: string; content: string } }>('/api/v1/rules/validate', {
    schema: {
      summary: 'Validate a rules file (YAML as text/yaml or text/plain, or JSON {name, content})',
      tags: ['rules'],
      body: {
        oneOf: [
          { type: 'string' },
          { type: 'object', required: ['content'], additionalProperties: false, properties: { name: { type: 'string', maxLength: 256 }, content: { type: 'string' } } },
        ],
      },
    },
    handler: async (req) => {
      const b = req.body;
      const file = typeof b === 'string' ? { name: 'upload.yaml', content: b } : { name: b.name ?? 'upload.yaml', content: b.content };
      const { result } = loadSyscallRulesText([file]);
      return {
        ok: result.ok,
        rules: result.rules.length,
        errors: result.errors,
        warnings: result.warnings,
      };
    },
  });
}

/** Rules files uploaded to the data folder (loaded at the next start). */
export function uploadedFiles(ctx: Pick<ServerContext, 'dataDir'>): string[] {
  if (!ctx.dataDir) return [];
  try {
    return readdirSync(join(ctx.dataDir, 'rules')).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(ctx.dataDir!, 'rules', f));
  } catch {
    return [];
  }
}

/** Registers `POST /api/v1/rules/files` (admin). */
export function rulesUploadRoute(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Body: { name: string; content: string } }>('/api/v1/rules/files', {
    schema: {
      summary: 'Upload a rules file: validated together with the rules in force, kept in the data folder, loaded from the next start',
      tags: ['rules'],
      body: {
        type: 'object', required: ['name', 'content'], additionalProperties: false,
        properties: { name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,100}\\.ya?ml$' }, content: { type: 'string' } },
      },
    },
    config: { scopes: ['admin'] },
    handler: async (req, reply) => {
      if (!ctx.dataDir) return sendErrors(reply, 501, [error('API_UNAVAILABLE', 'this server has no data folder to keep rules in')]);
      const dir = join(ctx.dataDir, 'rules');
      const target = join(dir, req.body.name);
      // the files in force first, so the upload can use (and append to) their lists and macros
      const inForce = [...ctx.rules.files, ...uploadedFiles(ctx)].filter((f) => f !== target).map((f) => ({ name: f, content: readFileSync(f, 'utf8') }));
      const { result } = loadSyscallRulesText([...inForce, { name: req.body.name, content: req.body.content }]);
      const mine = (d: { file?: string }) => d.file === req.body.name;
      const body = { ok: result.ok, errors: result.errors, warnings: result.warnings.filter(mine) };
      if (!result.ok) return reply.code(400).send(body);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(target, req.body.content, { mode: 0o600 });
      return reply.code(201).send({ ...body, saved: target, activeAfterRestart: true });
    },
  });
}
