#!/usr/bin/env node
// Builds the web UI (web/dist) with Vite. Run by `npm run build:web` and by npm's `prepare`
// step, so `npm ci` leaves a built UI. During `prepare` a missing Vite (production-only
// install) or a failed build is reported loudly but does not fail the install: the API keeps
// working and `vigil up` says the UI is not built.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const lenient = process.env.npm_lifecycle_event === 'prepare';
const fail = (msg) => {
  process.stderr.write(`vigil web build: ${msg}\n`);
  process.exit(lenient ? 0 : 1);
};

let vite;
try {
  vite = await import('vite');
} catch {
  fail('vite is not installed (dev dependencies left out?): the web UI is not built');
}
try {
  await vite.build({ configFile: join(here, 'vite.config.mjs') });
} catch (e) {
  fail(`build failed: ${e.message}`);
}
const dist = join(here, 'dist');
let bytes = 0;
let gz = 0;
const walk = (d) => {
  for (const n of readdirSync(d)) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) walk(p);
    else {
      const body = readFileSync(p);
      bytes += body.length;
      gz += gzipSync(body).length;
    }
  }
};
walk(dist);
process.stderr.write(`vigil web build: ${dist} (${(bytes / 1024).toFixed(0)} KiB, ${(gz / 1024).toFixed(0)} KiB gzipped)\n`);
