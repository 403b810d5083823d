import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openImage } from '../../image/index.ts';
import { packTar, writeDockerArchive } from '../../image/fixtures.test-helpers.ts';
import { catalogView, wantForCatalogers } from '../index.ts';
import { INFO_END, INFO_START, type GoBuildInfo } from './buildinfo.ts';
import { GoBuildInfoCapture } from './capture.ts';
import { goPackages, parseGoBinary } from './golang.ts';

// Feeds a buffer in chunks of varying size so that patterns straddle chunk boundaries.
function streamed(buf: Buffer, seed: number): GoBuildInfo | undefined {
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

const MODINFO = [
  'path\texample.com/hello',
  'mod\texample.com/hello\t(devel)\t',
  'dep\tgithub.com/pkg/errors\tv0.9.1\th1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=',
  'dep\tgolang.org/x/text\tv0.3.0\th1:g61tztE5qeGQ89tm6NTjjM9VPIm088od1l6aSorWRWg=',
  '=>\tgolang.org/x/text\tv0.3.7\th1:olpwvP2KacW1ZWvsR7uQhoyTYvKAupfQrRGBFM352Gk=',
  '',
].join('\n');

/**
 * A minimal ELF file in the build info pointer format of Go < 1.18: a read-only segment with
 * the version and module strings (and a decoy magic, as programs reading build info carry),
 * a writable one with the header and the two string headers it points to.
 */
function pointerElf(is64: boolean, le: boolean): Buffer {
  const ptr = is64 ? 8 : 4;
  const buf = Buffer.alloc(0x3000 + 0x7000);
  const u16 = (o: number, v: number) => (le ? buf.writeUInt16LE(v, o) : buf.writeUInt16BE(v, o));
  const u32 = (o: number, v: number) => (le ? buf.writeUInt32LE(v, o) : buf.writeUInt32BE(v, o));
  const word = (o: number, v: number) =>
    is64
      ? le
        ? buf.writeBigUInt64LE(BigInt(v), o)
        : buf.writeBigUInt64BE(BigInt(v), o)
      : u32(o, v);
  buf.writeUInt32BE(0x7f454c46, 0);
  buf[4] = is64 ? 2 : 1;
  buf[5] = le ? 1 : 2;
  buf[6] = 1;
  const phoff = is64 ? 64 : 52;
  word(is64 ? 0x20 : 0x1c, phoff);
  u16(is64 ? 0x36 : 0x2a, is64 ? 56 : 32);
  u16(is64 ? 0x38 : 0x2c, 2);
  const segs = [
    { off: 0x1000, vaddr: 0x401000, size: 0x2000, flags: 5 },
    { off: 0x3000, vaddr: 0x603000, size: 0x7000, flags: 6 },
  ];
  segs.forEach((s, i) => {
    const p = phoff + i * (is64 ? 56 : 32);
    u32(p, 1);
    if (is64) {
      u32(p + 4, s.flags);
      word(p + 8, s.off);
      word(p + 16, s.vaddr);
      word(p + 32, s.size);
      word(p + 40, s.size);
    } else {
      word(p + 4, s.off);
      word(p + 8, s.vaddr);
      word(p + 16, s.size);
      word(p + 20, s.size);
      u32(p + 24, s.flags);
    }
  });
  const version = Buffer.from('go1.16.15');
  const mod = Buffer.concat([INFO_START, Buffer.from(MODINFO), INFO_END]);
  Buffer.from('\xff Go buildinf:\x08\x02garbage', 'latin1').copy(buf, 0x1100); // decoy
  version.copy(buf, 0x1203);
  mod.copy(buf, 0x1fe0); // straddles nothing in particular; varied chunking does the rest
  const hdr = 0x3000;
  Buffer.from('\xff Go buildinf:', 'latin1').copy(buf, hdr);
  buf[hdr + 14] = ptr;
  buf[hdr + 15] = le ? 0 : 1;
  const vHdr = 0x603000 + 0x4000;
  const mHdr = vHdr + 2 * ptr;
  word(hdr + 16, vHdr);
  word(hdr + 16 + ptr, mHdr);
  word(0x3000 + 0x4000, 0x401000 + 0x203);
  word(0x3000 + 0x4000 + ptr, version.length);
  word(0x3000 + 0x4000 + 2 * ptr, 0x401000 + 0xfe0);
  word(0x3000 + 0x4000 + 3 * ptr, mod.length);
  return buf;
}

test('pointer format (Go < 1.18): 64/32-bit, little/big endian, whole and streamed', () => {
  for (const [is64, le] of [
    [true, true],
    [false, false],
    [false, true],
  ] as const) {
    const elf = pointerElf(is64, le);
    const info = parseGoBinary(elf);
    assert.ok(info, `is64=${is64} le=${le}`);
    assert.equal(info.format, 'pointer');
    assert.equal(info.goVersion, 'go1.16.15');
    assert.equal(info.path, 'example.com/hello');
    assert.equal(info.main?.version, '(devel)');
    assert.deepEqual(
      info.deps.map((d) => `${d.path}@${d.version}${d.replace ? `=>${d.replace.version}` : ''}`),
      ['github.com/pkg/errors@v0.9.1', 'golang.org/x/text@v0.3.0=>v0.3.7'],
    );
    for (const seed of [1, 2, 3, 4, 5]) assert.deepEqual(streamed(elf, seed), info);
    const pkgs = goPackages(info, 'usr/bin/hello');
    assert.deepEqual(
      pkgs.map((p) => p.purl),
      [
        'pkg:golang/github.com/pkg/errors@v0.9.1',
        'pkg:golang/golang.org/x/text@v0.3.7',
        'pkg:golang/stdlib@v1.16.15',
      ],
    );
  }
});

test('not Go, truncated and hostile inputs give no build info and do not throw', () => {
  assert.equal(parseGoBinary(Buffer.from('#!/bin/sh\necho hi\n')), undefined);
  const elf = pointerElf(true, true);
  assert.equal(parseGoBinary(elf.subarray(0, 0x3010)), undefined);
  // Header pointing nowhere, and an inline header whose varint length runs past the end.
  const bad = Buffer.from(elf);
  bad.writeBigUInt64LE(0xffffffffn, 0x3000 + 16);
  assert.equal(parseGoBinary(bad), undefined);
  const inl = Buffer.from(elf);
  inl[0x3000 + 15] = 2;
  inl.fill(0xff, 0x3020, 0x3030);
  assert.equal(parseGoBinary(inl), undefined);
  assert.equal(streamed(inl, 9), undefined);
});

// Go binaries shipped by the Debian packages the registry tests install (GOPATH builds: no
// module lines, but the inline header and version).
const DEBIAN_GO = ['/usr/bin/skopeo', '/usr/bin/umoci', '/usr/bin/docker-registry'];

function goVersionM(file: string): string | undefined {
  const r = spawnSync('go', ['version', '-m', file], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : undefined;
}

// What `go version -m` prints, in our terms: version, path, and mod/dep/=> lines.
function fromGoTool(out: string): { version: string; lines: string[] } {
  const [first, ...rest] = out.trimEnd().split('\n');
  const version = first!.slice(first!.indexOf(': ') + 2);
  const lines = rest
    .map((l) => l.trim().split(/\t/))
    .filter((f) => ['path', 'mod', 'dep', '=>'].includes(f[0]!))
    .map((f) => f.filter(Boolean).join(' '));
  return { version, lines };
}

function ours(info: GoBuildInfo): string[] {
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

test('Go binaries from Debian packages: inline format, whole = streamed, = go version -m', (t) => {
  const present = DEBIAN_GO.filter((f) => existsSync(f));
  if (!present.length)
    return t.skip('no Debian Go binaries (apt-get install skopeo umoci docker-registry)');
  const hasGo = spawnSync('go', ['version']).status === 0;
  if (!hasGo) t.diagnostic('go toolchain absent: not cross-checked with go version -m');
  for (const f of present) {
    const buf = readFileSync(f);
    const info = parseGoBinary(buf);
    assert.ok(info, f);
    assert.equal(info.format, 'inline');
    assert.match(info.goVersion, /^go1\.\d+/);
    assert.deepEqual(streamed(buf, 7), info);
    const ref = hasGo ? goVersionM(f) : undefined;
    if (ref) {
      const g = fromGoTool(ref);
      assert.equal(info.goVersion, g.version, f);
      assert.deepEqual(ours(info), g.lines, f);
    }
    t.diagnostic(`${f}: ${info.goVersion}, ${info.deps.length} deps`);
  }
});

function buildModuleBinary(dir: string): string | undefined {
  if (spawnSync('go', ['version']).status !== 0) return undefined;
  const w = (p: string, s: string) => {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), s);
  };
  // Vendored dependencies record versions without a network; one is replaced by another module.
  w(
    'go.mod',
    'module example.com/tiny\n\ngo 1.17\n\nrequire (\n\texample.com/dep v1.2.3\n\texample.com/old v1.0.0\n)\n\nreplace example.com/old v1.0.0 => example.com/new v1.1.0\n',
  );
  w(
    'main.go',
    'package main\n\nimport (\n\t"example.com/dep"\n\t"example.com/old"\n)\n\nvar version = "dev"\n\nfunc main() { println(dep.X, old.Y, version) }\n',
  );
  w(
    'vendor/modules.txt',
    '# example.com/dep v1.2.3\n## explicit\nexample.com/dep\n# example.com/old v1.0.0 => example.com/new v1.1.0\n## explicit\nexample.com/old\n',
  );
  w('vendor/example.com/dep/dep.go', 'package dep\n\nconst X = 1\n');
  w('vendor/example.com/old/old.go', 'package old\n\nconst Y = 2\n');
  execFileSync(
    'go',
    [
      'build',
      '-mod=vendor',
      '-buildvcs=false',
      '-ldflags=-X main.version=v9.8.7',
      '-o',
      'tiny',
      '.',
    ],
    {
      cwd: dir,
      env: {
        ...process.env,
        GOPROXY: 'off',
        GOFLAGS: '',
        GOCACHE: join(dir, '.cache'),
        GOPATH: join(dir, '.gopath'),
        CGO_ENABLED: '0',
      },
      stdio: 'pipe',
    },
  );
  return join(dir, 'tiny');
}

test('a module binary built here: deps, replacement, -X version, stdlib; inside an image layer', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-go-'));
  const bin = buildModuleBinary(dir);
  if (!bin) return t.skip('no Go toolchain (apt-get install golang-go)');
  const buf = readFileSync(bin);
  const info = parseGoBinary(buf);
  assert.ok(info);
  const ref = goVersionM(bin)!;
  assert.deepEqual(ours(info), fromGoTool(ref).lines);
  const pkgs = goPackages(info, 'usr/local/bin/tiny');
  const goVer = /^go(\d+\.\d+(\.\d+)?)/.exec(info.goVersion)![1]!;
  assert.deepEqual(
    pkgs.map((p) => p.purl).sort(),
    [
      'pkg:golang/example.com/dep@v1.2.3',
      'pkg:golang/example.com/new@v1.1.0',
      'pkg:golang/example.com/tiny@v9.8.7',
      `pkg:golang/stdlib@v${goVer.split('.').length === 2 ? goVer + '.0' : goVer}`,
    ].sort(),
  );
  // Through the image reader: an executable in a gzip layer, a non-executable copy ignored.
  const layer = await packTar([
    { name: 'usr/local/bin/tiny', content: buf, mode: 0o755 },
    { name: 'opt/tiny.copy', content: buf, mode: 0o644 },
  ]);
  const img = await writeDockerArchive([layer], { gzipLayers: true });
  const { view } = await openImage(img, wantForCatalogers);
  const inv = catalogView(view);
  const golang = inv.packages.filter((p) => p.type === 'golang');
  assert.deepEqual(golang.map((p) => p.purl).sort(), pkgs.map((p) => p.purl).sort());
  assert.ok(golang.every((p) => p.foundIn === 'usr/local/bin/tiny' && p.layer === 0));
});
