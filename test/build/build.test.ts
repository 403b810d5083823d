// The JavaScript build (scripts/build.mjs -> dist/) and the loader in bin/vigil.mjs: commands give
// the same output from dist/ as from src/ through tsx, and any source change after the build
// sends `vigil` back to tsx. Works on a copy of the project in a temp dir so the checkout's own
// dist/ and src/ mtimes are left alone (other tests may be running `vigil` at the same time).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conformancePath, projectPath } from '../../src/core/index.ts';

let root = '';

before(() => {
  root = mkdtempSync(join(tmpdir(), 'vigil-build-'));
  // what the build and both loaders read; tests are not needed by either
  cpSync(projectPath('src'), join(root, 'src'), { recursive: true, filter: (p) => !p.endsWith('.test.ts') });
  for (const f of ['bin/vigil.mjs', 'scripts/build.mjs', 'scripts/test-code.mjs', 'package.json', 'tsconfig.json']) cpSync(projectPath(f), join(root, f));
  for (const d of ['node_modules', 'rules', 'test']) symlinkSync(projectPath(d), join(root, d));
});

after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function vigil(args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [join(root, 'bin/vigil.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, VIGIL_FROM_SOURCE: '', VIGIL_LOADER_TRACE: '1', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Which tree the loader chose, from its VIGIL_LOADER_TRACE line. */
function loadedFrom(r: Run): 'dist' | 'source' | 'unknown' {
  if (/vigil: running built dist\//.test(r.stderr)) return 'dist';
  if (/vigil: running src\/ through tsx/.test(r.stderr)) return 'source';
  return 'unknown';
}

/** stderr without the loader's own trace line. */
const rest = (r: Run) => r.stderr.replace(/^vigil: running .*\n/m, '');

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

test('build writes dist/ mirroring src/: .js modules with .js specifiers, assets, a stamp', () => {
  const b = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  const stamp = JSON.parse(readFileSync(join(root, 'dist/BUILD-STAMP.json'), 'utf8'));
  assert.equal(typeof stamp.startedMs, 'number');
  const built = allFiles(join(root, 'dist'));
  const js = built.filter((f) => f.endsWith('.js'));
  // test code: helpers named *.test-helpers.ts and anything under fixtures/ (tests were not copied)
  const testCode = (f: string) => f.includes('/fixtures/') || f.endsWith('.test-helpers.ts') || f.endsWith('.test-helpers.js');
  const srcTs = allFiles(join(root, 'src')).filter((f) => f.endsWith('.ts') && !testCode(f));
  assert.equal(js.length, srcTs.length, 'one .js per shipped .ts');
  assert.deepEqual(built.filter(testCode), [], 'no fixture data or test helper is shipped');
  assert.equal(stamp.modules, srcTs.length);
  // the CIS definitions are read next to their module through import.meta.url
  assert.ok(existsSync(join(root, 'dist/compliance/benchmark/definitions/vigil-k3s-cis/config.yaml')));
  const tsSpecifier = /(?:from\s*|import\s*\(\s*|import\s+)["'](\.{1,2}\/[^"']*\.ts)["']/;
  for (const f of js) {
    const m = tsSpecifier.exec(readFileSync(f, 'utf8'));
    assert.equal(m, null, `${f} still imports ${m?.[1]}`);
  }
});

test('--version, rules validate and bench k3s (reads YAML assets) match between dist/ and tsx', () => {
  const cases = [
    ['--version'],
    ['rules', 'validate', 'rules/vigil_rules.yaml', '-o', 'json'],
    ['bench', 'k3s', '--node-root', 'test/fixtures/k3s-node', '-o', 'json'],
    ['no-such-command'],
  ];
  for (const args of cases) {
    const built = vigil(args);
    const source = vigil(args, { VIGIL_FROM_SOURCE: '1' });
    assert.equal(loadedFrom(built), 'dist', `${args.join(' ')}: ${built.stderr}`);
    assert.equal(loadedFrom(source), 'source');
    assert.equal(built.code, source.code, args.join(' '));
    assert.equal(built.stdout, source.stdout, args.join(' '));
    assert.equal(rest(built), rest(source), args.join(' '));
  }
  // not vacuous: the commands did produce their documents
  assert.match(vigil(['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
  assert.ok(JSON.parse(vigil(['bench', 'k3s', '--node-root', 'test/fixtures/k3s-node', '-o', 'json']).stdout).Controls.length > 0);
});

test('replay of a shared capture gives the same alerts from dist/ and tsx', (t) => {
  const capture = conformancePath('falco', 'scap', 'falco-0.34.1', 'cat_write.scap');
  const single = conformancePath('falco', 'legacy', 'rules', 'SingleRule__single_rule.yaml');
  const double = conformancePath('falco', 'legacy', 'rules', 'DoubleRule__double_rule.yaml');
  if (!capture || !single || !double) {
    t.skip('shared conformance data not found (../shared/conformance or $VIGIL_CONFORMANCE_DIR)');
    return;
  }
  const args = ['replay', '-r', single, '-r', double, '--rule-matching', 'all', '-o', 'json', capture];
  const built = vigil(args);
  const source = vigil(args, { VIGIL_FROM_SOURCE: '1' });
  assert.equal(loadedFrom(built), 'dist');
  assert.equal(built.code, source.code);
  assert.equal(built.stdout, source.stdout);
  assert.equal(rest(built), rest(source));
  // not vacuous: cat's exec and its opens are detected (Falco's legacy suite expects 1 exec_from_cat)
  const rules = built.stdout.trim().split('\n').map((l) => JSON.parse(l).rule as string);
  assert.equal(rules.filter((r) => r === 'exec_from_cat').length, 1);
  assert.ok(rules.includes('open_from_cat'));
});

test('a source file or folder changed after the build sends vigil back to tsx', () => {
  assert.equal(loadedFrom(vigil(['--version'])), 'dist');
  const later = new Date(Date.now() + 60_000);
  // an edited module (in place: its folder's mtime does not move)
  const edited = join(root, 'src/rules/index.ts');
  utimesSync(edited, later, later);
  let r = vigil(['--version']);
  assert.equal(loadedFrom(r), 'source');
  assert.match(r.stderr, /src\/rules\/index\.ts changed after the build/);
  assert.equal(r.stdout.trim(), vigil(['--version'], { VIGIL_FROM_SOURCE: '1' }).stdout.trim());
  // rebuilding makes dist/ current again
  const b = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  utimesSync(edited, new Date(), new Date(Date.now() - 60_000));
  assert.equal(loadedFrom(vigil(['--version'])), 'dist');
  // fixtures are not built: a fixture added later (a dangling symlink too) leaves dist/ current
  const fixtures = join(root, 'src/outputs/fixtures');
  symlinkSync('net:[4026531840]', join(fixtures, 'dangling-later'));
  utimesSync(fixtures, later, later);
  assert.equal(loadedFrom(vigil(['--version'])), 'dist');
  // a new file shows through its folder even when its own mtime is old
  const added = join(root, 'src/core/added-later.ts');
  writeFileSync(added, 'export const x = 1;\n');
  utimesSync(added, new Date(0), new Date(0));
  const dir = join(root, 'src/core');
  utimesSync(dir, later, later);
  r = vigil(['--version']);
  assert.equal(loadedFrom(r), 'source');
  assert.match(r.stderr, /src\/core changed after the build/);
});

test('a syntax error fails the build with file:line:col and keeps the previous dist/; prepare does not fail npm ci', () => {
  const broken = join(root, 'src/core/broken-on-purpose.ts');
  writeFileSync(broken, 'export const x = ;\n');
  try {
    const before = readFileSync(join(root, 'dist/BUILD-STAMP.json'), 'utf8');
    const b = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, encoding: 'utf8' });
    assert.equal(b.status, 1);
    assert.match(b.stderr, /src\/core\/broken-on-purpose\.ts:1:18: Unexpected ";"/);
    assert.equal(readFileSync(join(root, 'dist/BUILD-STAMP.json'), 'utf8'), before, 'the previous build stays');
    const p = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, npm_lifecycle_event: 'prepare' },
    });
    assert.equal(p.status, 0, 'npm ci goes on; vigil runs from source');
    assert.match(p.stderr, /continuing: vigil will run from source/);
    assert.ok(!readdirSync(root).some((n) => n.startsWith('dist.')), 'no staging folder left behind');
  } finally {
    rmSync(broken);
  }
});

test('no stamp (never built, or a failed build) runs from source', () => {
  rmSync(join(root, 'dist/BUILD-STAMP.json'));
  const r = vigil(['--version']);
  assert.equal(loadedFrom(r), 'source');
  assert.match(r.stderr, /not built/);
  assert.equal(r.code, 0);
});
