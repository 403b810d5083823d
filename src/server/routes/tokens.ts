/**
 * Token routes (admin only): list (ids and scopes, never digests), create (the token text
 * is in the answer once), revoke.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { error } from '../../core/index.ts';
import type { ServerContext } from '../context.ts';
import { sendErrors } from '../errors.ts';
import { SCOPES, type Scope } from '../tokens.ts';

/** Registers `/api/v1/tokens`. */
export function tokenRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/v1/tokens', {
    schema: { summary: 'Tokens (id, scope, name, created)', tags: ['tokens'] },
    config: { scopes: ['admin'] },
    handler: async () => ({ tokens: ctx.tokens.list() }),
  });
  app.post<{ Body: { scope: Scope; name?: string } }>('/api/v1/tokens', {
    schema: {
      summary: 'Create a token; its text is returned only here',
      tags: ['tokens'],
      body: { type: 'object', required: ['scope'], additionalProperties: false, properties: { scope: { type: 'string', enum: [...SCOPES] }, name: { type: 'string', maxLength: 200 } } },
    },
    config: { scopes: ['admin'] },
    handler: async (req, reply) => reply.code(201).send(ctx.tokens.create(req.body.scope, req.body.name)),
  });
  app.delete<{ Params: { id: string } }>('/api/v1/tokens/:id', {
    schema: { summary: 'Revoke a token', tags: ['tokens'], params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } },
    config: { scopes: ['admin'] },
    handler: async (req, reply) =>
      ctx.tokens.revoke(req.params.id) ? reply.code(204).send() : sendErrors(reply, 404, [error('API_NOT_FOUND', `no token ${req.params.id}`, { jsonPath: '$.id' })]),
  });
}
