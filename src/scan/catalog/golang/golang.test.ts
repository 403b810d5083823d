import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openImage } from '../../image/index.ts';
import { packTar, writeDockerArchive } from '../../image/fixtures.test-helpers.ts';
import { catalogView, wantForCatalogers } from '../index.ts';
import { FIXTURE_KINDS, pointerExe } from './exe-fixtures.test-helpers.ts';
import {
  buildGoProgram,
  fromGoTool,
  goVersionM,
  noGoToolchain,
  ours,
  streamed,
} from './go-build.test-helpers.ts';
import { goPackages, parseGoBinary } from './golang.ts';

test('pointer format (Go < 1.18) in ELF, PE, Mach-O: 32/64-bit, both byte orders, whole and streamed', () => {
  for (const kind of FIXTURE_KINDS) {
    const elf = pointerExe(kind);
    const info = parseGoBinary(elf);
    assert.ok(info, kind);
    assert.equal(info.format, 'pointer');
    assert.equal(info.goVersion, 'go1.16.15', kind); // not the decoy's go1.99.0
    assert.equal(info.path, 'example.com/hello');
    assert.equal(info.main?.version, '(devel)');
    assert.deepEqual(
      info.deps.map((d) => `${d.path}@${d.version}${d.replace ? `=>${d.replace.version}` : ''}`),
      ['github.com/pkg/errors@v0.9.1', 'golang.org/x/text@v0.3.0=>v0.3.7'],
    );
    for (const seed of [1, 2, 3, 4, 5]) assert.deepEqual(streamed(elf, seed), info, kind);
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
  const elf = pointerExe('elf64le');
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

test('a module binary built here: deps, replacement, -X version, stdlib; inside an image layer', async (t) => {
  const noGo = noGoToolchain();
  if (noGo) return t.skip(noGo);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-go-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Vendored dependencies record versions without a network; one is replaced by another module.
  const bin = buildGoProgram(dir, {
    module: 'example.com/tiny',
    main: 'package main\n\nimport (\n\t"example.com/dep"\n\t"example.com/old"\n)\n\nvar version = "dev"\n\nfunc main() { println(dep.X, old.Y, version) }\n',
    deps: [
      { path: 'example.com/dep', version: 'v1.2.3', source: 'package dep\n\nconst X = 1\n' },
      {
        path: 'example.com/old',
        version: 'v1.0.0',
        replace: { path: 'example.com/new', version: 'v1.1.0' },
        source: 'package old\n\nconst Y = 2\n',
      },
    ],
    ldflags: '-X main.version=v9.8.7',
    out: 'tiny',
  });
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
