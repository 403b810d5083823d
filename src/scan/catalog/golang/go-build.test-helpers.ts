/**
 * Builds small Go programs with this machine's toolchain (Debian's golang-go) for tests: a
 * main module whose dependencies are vendored, so nothing is fetched, for any GOOS/GOARCH
 * the toolchain cross-compiles to without cgo. Test support, not shipped.
 * @module
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GoBuildInfo } from './buildinfo.ts';
import { GoBuildInfoCapture } from './capture.ts';

/** Why Go tests cannot run here, or false when the toolchain is present. */
export function noGoToolchain(): string | false {
  return spawnSync('go', ['version']).status === 0
    ? false
    : 'no Go toolchain (apt-get install golang-go)';
}

/** A vendored dependency: module path, version, an optional replacement, and its one package. */
export interface VendoredModule {
  path: string;
  version: string;
  replace?: { path: string; version: string };
  /** Package path inside the module (default: the module root) and its Go source. */
  pkg?: string;
  source: string;
}

/** What to build: the main module, its main.go, vendored modules, target and link flags. */
export interface GoProgram {
  module: string;
  main: string;
  deps?: VendoredModule[];
  goos?: string;
  goarch?: string;
  ldflags?: string;
  /** Output file name inside the directory (default `prog`). */
  out?: string;
}

/** Writes and builds `prog` in `dir` (which the caller removes); the binary's path. */
export function buildGoProgram(dir: string, prog: GoProgram): string {
  const w = (p: string, s: string) => {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), s);
  };
  const deps = prog.deps ?? [];
  const require = deps.map((d) => `\t${d.path} ${d.version}\n`).join('');
  const replace = deps
    .filter((d) => d.replace)
    .map((d) => `replace ${d.path} ${d.version} => ${d.replace!.path} ${d.replace!.version}\n`)
    .join('');
  w(
    'go.mod',
    `module ${prog.module}\n\ngo 1.17\n${deps.length ? `\nrequire (\n${require})\n` : ''}${replace ? `\n${replace}` : ''}`,
  );
  w('main.go', prog.main);
  if (deps.length) {
    const modules = deps.map((d) => {
      const pkg = d.pkg ?? d.path;
      const head = d.replace
        ? `${d.path} ${d.version} => ${d.replace.path} ${d.replace.version}`
        : `${d.path} ${d.version}`;
      w(`vendor/${pkg}/${pkg.slice(pkg.lastIndexOf('/') + 1)}.go`, d.source);
      return `# ${head}\n## explicit\n${pkg}\n`;
    });
    w('vendor/modules.txt', modules.join(''));
  }
  const out = prog.out ?? 'prog';
  const args = ['build', '-buildvcs=false', '-o', out];
  if (deps.length) args.splice(1, 0, '-mod=vendor');
  if (prog.ldflags) args.push(`-ldflags=${prog.ldflags}`);
  execFileSync('go', [...args, '.'], {
    cwd: dir,
    env: {
      ...process.env,
      GOPROXY: 'off',
      GOFLAGS: '',
      GOCACHE: join(dir, '.cache'),
      GOPATH: join(dir, '.gopath'),
      CGO_ENABLED: '0',
      ...(prog.goos ? { GOOS: prog.goos } : {}),
      ...(prog.goarch ? { GOARCH: prog.goarch } : {}),
    },
    stdio: 'pipe',
  });
  return join(dir, out);
}

/** `go version -m FILE` output, or undefined when the tool fails. */
export function goVersionM(file: string): string | undefined {
  const r = spawnSync('go', ['version', '-m', file], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : undefined;
}

// Chunks of varying size make patterns straddle chunk boundaries.
/** Feeds `buf` through the stream capture in chunks of pseudo-random size; what it extracts. */
export function streamed(buf: Buffer, seed: number): GoBuildInfo | undefined {
  const c = new GoBuildInfoCapture();
  let x = seed;
  for (let i = 0; i < buf.length;) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const n = 1 + (x % 70000);
    c.write(buf.subarray(i, i + n));
    i += n;
  }
  const out = c.end();
  return out ? (JSON.parse(out.toString('utf8')) as GoBuildInfo) : undefined;
}

// What `go version -m` prints, in our terms: version, path, and mod/dep/=> lines.
/** `go version -m` output as version and `path`/`mod`/`dep`/`=>` lines, plus build settings. */
export function fromGoTool(out: string): {
  version: string;
  lines: string[];
  settings: Record<string, string>;
} {
  const [first, ...rest] = out.trimEnd().split('\n');
  const version = first!.slice(first!.indexOf(': ') + 2);
  const lines = rest
    .map((l) => l.trim().split(/\t/))
    .filter((f) => ['path', 'mod', 'dep', '=>'].includes(f[0]!))
    .map((f) => f.filter(Boolean).join(' '));
  const settings: Record<string, string> = {};
  for (const l of rest) {
    const m = /^\tbuild\t([^=]+)=(.*)$/.exec(l);
    if (m) settings[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
  }
  return { version, lines, settings };
}

/** Our build info as the lines {@link fromGoTool} gives. */
export function ours(info: GoBuildInfo): string[] {
  const mod = (k: string, m: { path: string; version: string; sum?: string }) =>
    [k, m.path, m.version, m.sum].filter(Boolean).join(' ');
  const out: string[] = [];
  if (info.path) out.push(`path ${info.path}`);
  if (info.main) out.push(mod('mod', info.main));
  for (const d of info.deps) {
    out.push(mod('dep', d));
    if (d.replace) out.push(mod('=>', d.replace));
  }
  return out;
}
