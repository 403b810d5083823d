/**
 * The static UI: files of `web/` served at `/` with a fixed type table and a strict
 * content security policy (same-origin scripts only).
 * @module
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
};

/** Serves `dir` at `/` (index.html for `/`); paths leaving `dir` are 404. */
export function staticRoutes(app: FastifyInstance, dir: string): void {
  const root = normalize(dir + sep);
  app.get('/*', { config: { public: true } }, async (req, reply) => {
    const rel = decodeURIComponent((req.params as { '*': string })['*'] || 'index.html');
    const file = normalize(join(root, rel));
    if (!file.startsWith(root) || !TYPES[extname(file)]) return reply.code(404).send({ errors: [{ code: 'API_NOT_FOUND', message: 'not found', severity: 'error' }] });
    try {
      const body = await readFile(file);
      return reply
        .type(TYPES[extname(file)])
        .header('content-security-policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")
        .header('x-content-type-options', 'nosniff')
        .send(body);
    } catch {
      return reply.code(404).send({ errors: [{ code: 'API_NOT_FOUND', message: `no file ${rel}`, severity: 'error' }] });
    }
  });
}
