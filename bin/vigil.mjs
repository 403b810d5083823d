#!/usr/bin/env node
// The `vigil` executable. Runs the JavaScript that scripts/build.mjs wrote to dist/ when that
// build is current, else the TypeScript in src/ through tsx (as developers and tests edit it).
// "Current" means no file or folder under src/ changed after the build started, so nobody ever
// runs stale code by accident; the check is one stat per source file and folder (~420 here,
// 9-20 ms on the shared 2-vCPU VM where a stat costs ~15 us; dist/ saves 0.5-1 s) and falls
// back silently. An install that ships dist/ without src/ skips it.
// VIGIL_FROM_SOURCE=1 always runs from source; VIGIL_LOADER_TRACE=1 says on stderr which
// tree runs and why.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTestFile, TEST_DIR } from '../scripts/test-code.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const STAMP_FILE = 'BUILD-STAMP.json'; // written last by scripts/build.mjs

/** Why dist/ cannot be used, or undefined when it can. */
function staleReason() {
  if (process.env.VIGIL_FROM_SOURCE === '1') return 'VIGIL_FROM_SOURCE=1';
  let builtAt;
  try {
    builtAt = JSON.parse(readFileSync(join(root, 'dist', STAMP_FILE), 'utf8')).startedMs;
  } catch {
    return 'not built (npm run build)';
  }
  if (typeof builtAt !== 'number') return `dist/${STAMP_FILE} has no startedMs`;
  const src = join(root, 'src');
  if (!existsSync(src)) return undefined; // an installed package may ship dist/ without src/
  let newer;
  // Folders count too: adding, removing or renaming a file changes its folder's mtime.
  // Test code is not built (the rule in scripts/test-code.mjs, shared with scripts/build.mjs), so
  // editing it does not make dist/ stale; fixture trees may also hold dangling symlinks.
  const walk = (dir) => {
    if (statSync(dir).mtimeMs > builtAt) return (newer = dir), true;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = `${dir}/${e.name}`; // not path.join: this loop runs ~400 times per start
      if (e.isDirectory()) {
        if (e.name !== TEST_DIR && walk(p)) return true;
      } else if (!isTestFile(e.name) && statSync(p).mtimeMs > builtAt) {
        return (newer = p), true;
      }
    }
    return false;
  };
  try {
    walk(src);
  } catch (e) {
    return `cannot check src/: ${e.message}`; // e.g. a file removed mid-walk: play safe
  }
  return newer ? `${newer} changed after the build` : undefined;
}

const checkStart = performance.now();
const why = staleReason();
if (process.env.VIGIL_LOADER_TRACE === '1') {
  const ms = (performance.now() - checkStart).toFixed(1);
  process.stderr.write(`vigil: ${why ? `running src/ through tsx: ${why}` : 'running built dist/'} (checked in ${ms} ms)\n`);
}
let cli;
if (why) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli/index.ts');
} else {
  cli = await import('../dist/cli/index.js');
}
process.exitCode = await cli.main(process.argv);
