#!/usr/bin/env node
// Transpiles src/**/*.ts to plain JavaScript in dist/, file by file, so `vigil` starts without
// tsx (about half the memory and a fraction of the start-up time). Run by `npm run build` and by
// npm's `prepare` step (so `npm ci` leaves a built CLI); bin/vigil.mjs uses dist/ only while it
// is newer than every file in src/ and falls back to tsx otherwise.
//
// Layout: dist/ mirrors src/ at the same depth (src/core/x.ts -> dist/core/x.js), so code that
// finds the project root from its own location (core's projectPath) and assets addressed
// relative to a module (new URL('../definitions/…', import.meta.url)) resolve the same way
// from either tree. Test code is left out: *.test.ts, *.test-helpers.ts and everything under a
// fixtures/ folder (data and helper modules alike); nothing shipped may import them.
//
// Usage: node scripts/build.mjs [--root DIR]   (DIR/src -> DIR/dist; default: this checkout)
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTestFile, TEST_DIR } from './test-code.mjs';

/** The file bin/vigil.mjs reads to decide whether dist/ is current (same name there). */
const STAMP_FILE = 'BUILD-STAMP.json';

const here = dirname(fileURLToPath(import.meta.url));
const lenient = process.env.npm_lifecycle_event === 'prepare';

function fail(msg) {
  // During `npm ci` a failed build must not fail the install: bin/vigil.mjs then runs from source.
  process.stderr.write(`vigil build: ${msg}${lenient ? ' (continuing: vigil will run from source through tsx)' : ''}\n`);
  process.exit(lenient ? 0 : 1);
}

function parseArgs(argv) {
  let root = resolve(here, '..');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--root' && argv[i + 1]) root = resolve(argv[++i]);
    else fail(`unknown argument ${argv[i]} (usage: build.mjs [--root DIR])`);
  }
  return root;
}

/** A module only tests use: a test, a test helper, or any file under fixtures/. */
const isTestCode = (name, inFixtures) => inFixtures || isTestFile(name);

/**
 * Every file under src/ that ships: each TypeScript module but test code (see isTestCode; the
 * import check below fails the build if shipped code needs one), and every other file outside
 * fixtures/ (data read at run time, such as the CIS benchmark definitions).
 */
function collect(srcDir) {
  const modules = [];
  const assets = [];
  const walk = (dir, inFixtures) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(p, inFixtures || e.name === TEST_DIR);
      } else if (e.name.endsWith('.d.ts') || (e.name.endsWith('.ts') && isTestCode(e.name, inFixtures))) {
        continue;
      } else if (e.name.endsWith('.ts')) {
        modules.push(p);
      } else if (!inFixtures) {
        assets.push(p);
      }
    }
  };
  walk(srcDir, false);
  return { modules, assets };
}

/**
 * esbuild plugin: every import stays an import (nothing is bundled); relative `.ts` specifiers
 * become `.js`, the name of the file this build writes next to the importer. Going through
 * esbuild's resolver (not a regex over the output) covers static imports, re-exports and
 * literal dynamic imports such as the lazy command groups in src/cli/commands.ts alike.
 */
const keepImportsRewriteTs = {
  name: 'keep-imports-rewrite-ts',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const relativeTs = /^\.\.?\//.test(args.path) && args.path.endsWith('.ts');
      return { path: relativeTs ? args.path.slice(0, -3) + '.js' : args.path, external: true };
    });
  },
};

/** Fails when a built module imports a relative path the build did not write (e.g. a test helper). */
function checkRelativeImports(metafile, outDir) {
  const missing = [];
  for (const [out, info] of Object.entries(metafile.outputs)) {
    for (const imp of info.imports) {
      if (!/^\.\.?\//.test(imp.path)) continue;
      const target = resolve(dirname(resolve(out)), imp.path);
      if (!existsSync(target)) missing.push(`${relative(outDir, resolve(out))} imports ${imp.path}`);
    }
  }
  return missing;
}

async function build(root) {
  const started = Date.now();
  const srcDir = join(root, 'src');
  const outDir = join(root, 'dist');
  if (!existsSync(srcDir)) fail(`no src/ in ${root}`);
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    fail('esbuild is not installed');
  }
  const { modules, assets } = collect(srcDir);
  // Build beside dist/ and swap it in at the end, so a running `vigil` never sees half a tree.
  const staging = `${outDir}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  let result;
  try {
    result = await esbuild.build({
      entryPoints: modules,
      outbase: srcDir,
      outdir: staging,
      bundle: true, // only so the plugin sees every import; it marks them all external
      plugins: [keepImportsRewriteTs],
      format: 'esm',
      platform: 'node',
      target: 'node20',
      tsconfig: join(root, 'tsconfig.json'),
      metafile: true,
      logLevel: 'silent',
      charset: 'utf8',
    });
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    const first = e.errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : '';
    fail(`${where}${first?.text ?? e.message}${e.errors?.length > 1 ? ` (and ${e.errors.length - 1} more)` : ''}`);
  }
  for (const a of assets) {
    const to = join(staging, relative(srcDir, a));
    mkdirSync(dirname(to), { recursive: true });
    cpSync(a, to);
  }
  const missing = checkRelativeImports(result.metafile, staging);
  if (missing.length) {
    rmSync(staging, { recursive: true, force: true });
    fail(`built modules import files that are not built:\n  ${missing.join('\n  ')}`);
  }
  // The stamp holds the time the build STARTED: a source saved while it ran counts as newer.
  const stamp = { startedMs: started, modules: modules.length, assets: assets.length, esbuild: esbuild.version };
  writeFileSync(join(staging, STAMP_FILE), JSON.stringify(stamp, null, 2) + '\n');
  const old = `${outDir}.old-${process.pid}`;
  if (existsSync(outDir)) renameSync(outDir, old);
  renameSync(staging, outDir);
  rmSync(old, { recursive: true, force: true });
  const ms = Date.now() - started;
  process.stdout.write(`vigil build: ${modules.length} modules and ${assets.length} assets -> ${relative(process.cwd(), outDir) || '.'} in ${ms} ms\n`);
}

const root = parseArgs(process.argv.slice(2));
if (!existsSync(join(root, 'tsconfig.json'))) fail(`no tsconfig.json in ${root}`);
await build(root);
