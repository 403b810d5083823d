/**
 * The static UI: the built files of `web/dist` served at `/` with a fixed type table and a
 * strict content security policy (same-origin scripts only). When the UI is not built, `/`
 * answers with a short page saying how to build it, and the API works as usual.
 * @module
 */
import { existsSync } from 'node:fs';
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
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/** The message shown (and logged by `vigil up`) when the UI has not been built. */
export const UI_NOT_BUILT = 'the web UI is not built: run "npm run build:web" (npm ci does it through the prepare script), then restart vigil up';

/** Whether `dir` holds a built UI. */
export function uiBuilt(dir: string | undefined): boolean {
  return !!dir && existsSync(join(dir, 'index.html'));
}

const notFound = { errors: [{ code: 'API_NOT_FOUND', message: 'not found', severity: 'error' }] };

/** Serves `dir` at `/` (index.html for `/`); paths leaving `dir` are 404. */
export function staticRoutes(app: FastifyInstance, dir: string | undefined): void {
  const root = dir ? normalize(dir + sep) : '';
  app.get('/*', { config: { public: true } }, async (req, reply) => {
    const rel = decodeURIComponent((req.params as { '*': string })['*'] || 'index.html');
    if (!uiBuilt(dir)) {
      if (rel !== 'index.html') return reply.code(404).send(notFound);
      return reply.code(503).type('text/html; charset=utf-8').header('content-security-policy', CSP).send(`<!doctype html><meta charset="utf-8"><title>Vigil</title><h1>Vigil</h1><p>The API is up at <code>/api/v1</code>; ${UI_NOT_BUILT.replace(/"/g, '&quot;')}.</p>\n`);
    }
    const file = normalize(join(root, rel));
    if (!file.startsWith(root) || !TYPES[extname(file)]) return reply.code(404).send(notFound);
    try {
      const body = await readFile(file);
      return reply
        .type(TYPES[extname(file)])
        .header('content-security-policy', CSP)
        .header('x-content-type-options', 'nosniff')
        // hashed asset names never change content; index.html must be re-read to find new ones
        .header('cache-control', rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
        .send(body);
    } catch {
      return reply.code(404).send({ errors: [{ code: 'API_NOT_FOUND', message: `no file ${rel}`, severity: 'error' }] });
    }
  });
}
