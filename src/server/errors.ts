/**
 * One error shape for every route: `{errors: [Diagnostic]}` with a stable code and, for bad
 * request bodies or parameters, the JSON path of the problem.
 * @module
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { error, VigilError, type Diagnostic } from '../core/index.ts';

/** Sends `{errors}` with a status. */
export function sendErrors(reply: FastifyReply, status: number, errors: Diagnostic[]): FastifyReply {
  return reply.code(status).type('application/json').send({ errors });
}

/** Renders validation failures, body limits and unexpected errors as diagnostics. */
export function errorHandler(e: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (e.validation) {
    const where = e.validationContext ?? 'body';
    const diags = e.validation.map((v) => {
      const missing = (v.params as { missingProperty?: string }).missingProperty;
      const path = `$${where === 'body' ? '' : '.' + where}${v.instancePath.replace(/\//g, '.')}${missing ? '.' + missing : ''}`;
      return error('API_BAD_REQUEST', `${where}${v.instancePath} ${v.message ?? 'is invalid'}`, { jsonPath: path });
    });
    return sendErrors(reply, 400, diags);
  }
  if (e instanceof VigilError) return sendErrors(reply, 400, [e.diagnostic]);
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendErrors(reply, 413, [error('API_TOO_LARGE', e.message)]);
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendErrors(reply, 415, [error('API_MEDIA_TYPE', e.message)]);
  if (e instanceof SyntaxError || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    const offset = (e as { offset?: number }).offset;
    return sendErrors(reply, 400, [error('API_BAD_JSON', e.message, { jsonPath: '$', offset })]);
  }
  const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
  if (status === 500) req.log.error(e);
  return sendErrors(reply, status, [error(status === 500 ? 'API_INTERNAL' : 'API_REQUEST', status === 500 ? 'internal error' : e.message)]);
}
