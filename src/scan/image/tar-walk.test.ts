import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  linkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { conformancePath, VigilError } from '../../core/index.ts';
import { packTar } from './fixtures.test-helpers.ts';
import { TarWalker } from './tar-walk.ts';

interface Seen {
  name: string;
  type: string;
  size: number;
  mode: number;
  linkname: string;
  sha: string;
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Walks a tar fed in pieces of `step` bytes; entries with their data digests. */
function walk(buf: Buffer, step: number): Seen[] {
  const out: Seen[] = [];
  const w = new TarWalker((h) => {
    const parts: Buffer[] = [];
    return {
      data: (c) => parts.push(Buffer.from(c)),
      end: () =>
        out.push({
          name: h.name,
          type: h.type,
          size: h.size,
          mode: h.mode,
          linkname: h.linkname,
          sha: sha(Buffer.concat(parts)),
        }),
    };
  }, 'test.tar');
  for (let i = 0; i < buf.length; i += step) w.push(buf.subarray(i, i + step));
  w.end();
  return out;
}

/** The same through tar-stream, the reference reader. */
async function reference(buf: Buffer): Promise<Seen[]> {
  const ex = tar.extract();
  ex.end(buf);
  const out: Seen[] = [];
  for await (const e of ex) {
    const parts: Buffer[] = [];
    for await (const c of e as unknown as AsyncIterable<Buffer>) parts.push(c);
    const h = e.header;
    out.push({
      name: h.name,
      type: h.type ?? 'other',
      size: h.size ?? 0,
      mode: h.mode ?? 0,
      linkname: h.linkname ?? '',
      sha: sha(Buffer.concat(parts)),
    });
  }
  return out;
}

function codeOf(f: () => unknown): { code: string; offset?: number } {
  try {
    f();
    return { code: 'no error' };
  } catch (e) {
    assert.ok(e instanceof VigilError, `expected VigilError, got ${String(e)}`);
    const r: { code: string; offset?: number } = { code: e.code };
    if (e.diagnostic.offset !== undefined) r.offset = e.diagnostic.offset;
    return r;
  }
}

// A tree with what the three tar formats encode differently: names over 100 bytes, long
// link targets, hardlinks, UTF-8, sizes on and off the 512-byte grid.
function makeTree(root: string, longLinks: boolean): void {
  const deep = join(root, 'd'.repeat(60), 'e'.repeat(60));
  mkdirSync(deep, { recursive: true });
  writeFileSync(join(deep, 'long-file-name.txt'), 'x'.repeat(513));
  writeFileSync(join(root, 'empty'), '');
  writeFileSync(join(root, 'block'), Buffer.alloc(512, 7));
  writeFileSync(join(root, 'grüße.txt'), 'hallo\n');
  linkSync(join(root, 'block'), join(root, 'hard'));
  symlinkSync('empty', join(root, 'short-link'));
  if (longLinks) {
    symlinkSync(`../${'t'.repeat(120)}`, join(root, 'long-link'));
    writeFileSync(join(root, 'n'.repeat(120)), 'long name, no directory part');
  }
}

const hasTar = spawnSync('tar', ['--version']).status === 0;

test('layer tars from GNU tar (gnu, pax, ustar) walk as tar-stream reads them', async (t) => {
  if (!hasTar) {
    t.skip('GNU tar is not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tarwalk-'));
  for (const format of ['gnu', 'posix', 'ustar']) {
    const root = join(dir, format);
    mkdirSync(root);
    makeTree(root, format !== 'ustar');
    const buf = execFileSync('tar', [`--format=${format}`, '-C', root, '-cf', '-', '.'], {
      maxBuffer: 1 << 26,
    });
    const want = await reference(buf);
    assert.ok(
      want.some((e) => e.name.endsWith('/long-file-name.txt') && e.name.length > 100),
      `${format}: a name over 100 bytes`,
    );
    for (const step of [1, 100, 512, 700, 1 << 16]) {
      assert.deepEqual(walk(buf, step), want, `${format} in pieces of ${step} bytes`);
    }
  }
});

test('tar-stream packs (ustar prefix, pax for long link targets) walk alike', async () => {
  const buf = await packTar([
    { name: `${'p'.repeat(90)}/${'q'.repeat(90)}/file`, content: 'prefix split' },
    { name: 'lnk', type: 'symlink', linkname: `/${'z'.repeat(150)}` },
    { name: 'dir/', type: 'directory', mode: 0o755 },
    { name: 'bin/tool', content: Buffer.alloc(70_000, 1), mode: 0o755 },
  ]);
  const want = await reference(buf);
  assert.equal(want.length, 4);
  assert.deepEqual(walk(buf, 333), want);
});

test('base-256 sizes are read', async () => {
  const buf = await packTar([{ name: 'big', content: Buffer.alloc(600, 3) }]);
  // Re-encode the size field (600) in GNU base-256 and fix the checksum.
  buf.fill(0, 124, 136);
  buf[124] = 0x80;
  buf.writeUInt16BE(600, 134);
  buf.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += buf[i]!;
  buf.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  const [e] = walk(buf, 512);
  assert.equal(e?.size, 600);
  assert.equal(e?.sha, sha(Buffer.alloc(600, 3)));
  assert.deepEqual(walk(buf, 512), await reference(buf));
});

test('corrupt headers, foreign formats and truncation are refused with offsets', async () => {
  const buf = await packTar([
    { name: 'a', content: 'first' },
    { name: 'b', content: 'x'.repeat(2000) },
  ]);
  const flipped = Buffer.from(buf);
  flipped[512 + 512 + 3] ^= 0xff; // inside the second header's name
  assert.deepEqual(
    codeOf(() => walk(flipped, 4096)),
    {
      code: 'SCAN_ARCHIVE_CORRUPT',
      offset: 1024,
    },
  );
  const foreign = Buffer.from(buf);
  foreign.write('xstar', 257, 'latin1');
  let sum = 0;
  foreign.fill(0x20, 148, 156);
  for (let i = 0; i < 512; i++) sum += foreign[i]!;
  foreign.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  assert.deepEqual(
    codeOf(() => walk(foreign, 4096)),
    { code: 'SCAN_ARCHIVE_CORRUPT', offset: 0 },
  );
  assert.equal(codeOf(() => walk(buf.subarray(0, 1024 + 1000), 4096)).code, 'SCAN_ARCHIVE_CORRUPT');
  assert.equal(codeOf(() => walk(buf.subarray(0, 1024 + 100), 64)).code, 'SCAN_ARCHIVE_CORRUPT');
  assert.equal(codeOf(() => walk(buf, 4096)).code, 'no error');
});

test('the staged alpine layer walks as tar-stream reads it', async (t) => {
  const gz = conformancePath('scan', 'images', 'trivy-alpine-310.tar.gz');
  if (!gz) {
    t.skip('conformance image scan/images/trivy-alpine-310.tar.gz not found');
    return;
  }
  let layer: Buffer | undefined;
  const ex = tar.extract();
  ex.end(gunzipSync(readFileSync(gz)));
  for await (const e of ex) {
    const parts: Buffer[] = [];
    for await (const c of e as unknown as AsyncIterable<Buffer>) parts.push(c);
    if (e.header.name.endsWith('layer.tar')) layer = Buffer.concat(parts);
  }
  assert.ok(layer, 'the alpine archive holds a layer.tar');
  const want = await reference(layer);
  assert.ok(want.length > 400);
  assert.deepEqual(walk(layer, 65536), want);
});
