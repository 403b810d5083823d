/**
 * Rules routes: the rules in force, and validation of an uploaded rules file with the
 * loader's own diagnostics (codes and file:line:column positions).
 * @module
 */
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
