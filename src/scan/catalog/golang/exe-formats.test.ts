import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { VigilError } from '../../../core/index.ts';
import { openImage } from '../../image/index.ts';
import { packTar, writeDockerArchive } from '../../image/fixtures.test-helpers.ts';
import { catalogView, wantForCatalogers } from '../index.ts';
import { GoBuildInfoCapture } from './capture.ts';
import { PE_HEADER, pointerExe, RW_OFF } from './exe-fixtures.test-helpers.ts';
import {
  buildGoProgram,
  fromGoTool,
  goVersionM,
  noGoToolchain,
  ours,
  streamed,
} from './go-build.test-helpers.ts';
import { goPackages, parseGoBinary } from './golang.ts';

// Cross-compiled here: PE32, PE32+ and Mach-O 64 (the formats, not the CPUs, matter).
const TARGETS = [
  { goos: 'windows', goarch: 'amd64', out: 'tiny.exe', format: 'PE32+' },
  { goos: 'windows', goarch: '386', out: 'tiny32.exe', format: 'PE32' },
  { goos: 'darwin', goarch: 'arm64', out: 'tiny-darwin', format: 'Mach-O 64' },
];

test('Windows and macOS binaries built here: = go version -m, whole = streamed, .exe found without x bit', async (t) => {
  const noGo = noGoToolchain();
  if (noGo) return t.skip(noGo);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-goexe-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const entries = [];
  for (const target of TARGETS) {
    const bin = buildGoProgram(dir, {
      module: 'example.com/tiny',
      main: 'package main\n\nimport "example.com/dep"\n\nvar version = "dev"\n\nfunc main() { println(dep.X, version) }\n',
      deps: [
        {
          path: 'example.com/dep',
          version: 'v1.2.3',
          replace: { path: 'example.com/fork', version: 'v1.2.4' },
          source: 'package dep\n\nconst X = 1\n',
        },
      ],
      ldflags: '-X main.version=v9.8.7',
      ...target,
    });
    const buf = readFileSync(bin);
    const info = parseGoBinary(buf);
    assert.ok(info, target.format);
    const ref = fromGoTool(goVersionM(bin)!);
    assert.equal(info.goVersion, ref.version, target.format);
    assert.deepEqual(ours(info), ref.lines, target.format);
    assert.deepEqual(info.settings, ref.settings, target.format);
    assert.equal(info.settings.GOOS, target.goos);
    for (const seed of [1, 2]) assert.deepEqual(streamed(buf, seed), info, target.format);
    const purls = goPackages(info, target.out).map((p) => p.purl);
    assert.ok(purls.includes('pkg:golang/example.com/fork@v1.2.4'), target.format);
    assert.ok(purls.includes('pkg:golang/example.com/tiny@v9.8.7'), target.format);
    entries.push({
      name: `app/${target.out}`,
      content: buf,
      mode: target.goos === 'windows' ? 0o644 : 0o755,
    });
    t.diagnostic(`${target.format}: ${info.goVersion}, ${purls.length} packages`);
  }
  const img = await writeDockerArchive([await packTar(entries)], { gzipLayers: true });
  const inv = catalogView((await openImage(img, wantForCatalogers)).view);
  for (const e of entries)
    assert.ok(
      inv.packages.some(
        (p) => p.foundIn === e.name && p.purl === 'pkg:golang/example.com/fork@v1.2.4',
      ),
      e.name,
    );
});

// Each corruption of a fixture, the byte offset the error must name.
const HOSTILE: {
  name: string;
  kind: Parameters<typeof pointerExe>[0];
  spoil(b: Buffer): Buffer;
  offset: number;
}[] = [
  {
    name: 'ELF program header count huge',
    kind: 'elf64le',
    spoil: (b) => (b.writeUInt16LE(0xffff, 0x38), b),
    offset: 0x38,
  },
  {
    name: 'ELF program headers past the end',
    kind: 'elf64le',
    spoil: (b) => (b.writeBigUInt64LE(0x7fffffffn, 0x20), b),
    offset: 0x7fffffff,
  },
  {
    name: 'ELF segment past the end',
    kind: 'elf32be',
    spoil: (b) => (b.writeUInt32BE(0x7fff0000, 52 + 32 + 4), b),
    offset: 52 + 32,
  },
  {
    name: 'ELF file truncated after its header',
    kind: 'elf64le',
    spoil: (b) => b.subarray(0, 40),
    offset: 0,
  },
  {
    name: 'PE header past the end',
    kind: 'pe64',
    spoil: (b) => (b.writeUInt32LE(0x7ffffff0, 0x3c), b),
    offset: 0x7ffffff0,
  },
  {
    name: 'PE section count huge',
    kind: 'pe64',
    spoil: (b) => (b.writeUInt16LE(0xffff, PE_HEADER + 6), b),
    offset: PE_HEADER + 6,
  },
  {
    name: 'PE section table past the end',
    kind: 'pe32',
    spoil: (b) => b.subarray(0, PE_HEADER + 24 + 0xe0 + 50),
    offset: PE_HEADER + 24 + 0xe0,
  },
  {
    name: 'PE section data past the end',
    kind: 'pe64',
    spoil: (b) => (b.writeUInt32LE(0x10000000, PE_HEADER + 24 + 0xf0 + 40 + 20), b),
    offset: PE_HEADER + 24 + 0xf0 + 40,
  },
  {
    name: 'PE optional header not PE32/PE32+',
    kind: 'pe64',
    spoil: (b) => (b.writeUInt16LE(0x999, PE_HEADER + 24), b),
    offset: PE_HEADER + 24,
  },
  {
    name: 'Mach-O command count huge',
    kind: 'macho64',
    spoil: (b) => (b.writeUInt32LE(0xffffffff, 16), b),
    offset: 16,
  },
  {
    name: 'Mach-O commands past the end',
    kind: 'macho64',
    spoil: (b) => (b.writeUInt32LE(0x7fffff00, 20), b),
    offset: 32,
  },
  {
    name: 'Mach-O command size zero',
    kind: 'macho32be',
    spoil: (b) => (b.writeUInt32BE(0, 28 + 4), b),
    offset: 28 + 4,
  },
  {
    name: 'Mach-O section count huge',
    kind: 'macho64-section',
    spoil: (b) => (b.writeUInt32LE(0x1000000, 32 + 72 + 72 + 64), b),
    offset: 32 + 72 + 72 + 64,
  },
  {
    name: 'Mach-O segment past the end',
    kind: 'macho64',
    spoil: (b) => (b.writeBigUInt64LE(0x7fff0000n, 32 + 72 + 72 + 40), b),
    offset: 32 + 72 + 72,
  },
];

test('hostile headers: SCAN_GO_BINARY_HEADER with the byte offset, whole, streamed and in an image', async () => {
  const layerFiles = [];
  for (const h of HOSTILE) {
    const buf = h.spoil(Buffer.from(pointerExe(h.kind)));
    assert.throws(
      () => parseGoBinary(buf),
      (e: unknown) =>
        e instanceof VigilError &&
        e.code === 'SCAN_GO_BINARY_HEADER' &&
        e.diagnostic.offset === h.offset,
      h.name,
    );
    const c = new GoBuildInfoCapture();
    for (let i = 0; i < buf.length; i += 4093) c.write(buf.subarray(i, i + 4093));
    const fault = JSON.parse(c.end()!.toString('utf8')) as {
      fault: { code: string; offset: number };
    };
    assert.deepEqual(
      [fault.fault.code, fault.fault.offset],
      ['SCAN_GO_BINARY_HEADER', h.offset],
      h.name,
    );
    // The reducer only looks at executables of at least 64 KiB: the truncated ones stay out.
    if (buf.length >= 65536)
      layerFiles.push({ name: `bin/${layerFiles.length}`, content: buf, mode: 0o755, h });
  }
  // A layer with the corrupt files that keep their size: one warning each, the scan goes on.
  const img = await writeDockerArchive([
    await packTar([
      ...layerFiles.map(({ name, content, mode }) => ({ name, content, mode })),
      { name: 'lib/apk/db/installed', content: 'P:musl\nV:1.2.3-r0\n\n' },
    ]),
  ]);
  const inv = catalogView((await openImage(img, wantForCatalogers)).view);
  assert.ok(layerFiles.length >= 8);
  for (const f of layerFiles) {
    const d = inv.diagnostics.find((x) => x.file === f.name);
    assert.deepEqual(
      [d?.code, d?.offset, d?.severity],
      ['SCAN_GO_BINARY_HEADER', f.h.offset, 'warning'],
      f.h.name,
    );
  }
  assert.ok(inv.packages.some((p) => p.name === 'musl'));
});

test('old-format header where the linker does not put it (read-only data) is a decoy', () => {
  for (const kind of ['pe64', 'macho64', 'elf64le'] as const) {
    const buf = pointerExe(kind);
    // Without the real header only the decoy in read-only data is left: no build info.
    buf.fill(0, RW_OFF, RW_OFF + 16);
    assert.equal(parseGoBinary(buf), undefined, kind);
  }
});
