import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { openImage } from './index.ts';
import { packTar, writeDockerArchive } from './fixtures.test-helpers.ts';
import { DEFAULT_LIMITS } from './types.ts';
import { zstdWindowSize } from './streams.ts';

// Compresses with Debian's zstd tool (the reference encoder); undefined when it is absent.
function zstd(buf: Buffer, args: string[] = []): Buffer | undefined {
  const r = spawnSync('zstd', ['-q', '-c', ...args], { input: buf, maxBuffer: 1 << 30 });
  return r.status === 0 ? r.stdout : undefined;
}

const want = (p: string) => p === 'etc/os-release' || p === 'lib/apk/db/installed';

test('zstd layers made by the zstd tool are read like gzip ones', async (t) => {
  const layer = await packTar([
    { name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.19.1\n' },
    { name: 'usr/share/filler', content: Buffer.alloc(3 << 20, 'x') },
    { name: 'lib/apk/db/installed', content: 'P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\n' },
  ]);
  const z = zstd(layer, ['-19']);
  if (!z) return t.skip('zstd not installed (apt-get install zstd)');
  assert.equal(z.readUInt32LE(0), 0xfd2fb528);
  const img = await writeDockerArchive([z]);
  const { view } = await openImage(img, want);
  assert.equal(view.read('etc/os-release')?.toString(), 'ID=alpine\nVERSION_ID=3.19.1\n');
  assert.match(view.read('lib/apk/db/installed')!.toString(), /V:1\.2\.4-r2/);
  // Multi-frame (zstd --long, several frames concatenated) still decodes in order.
  const two = Buffer.concat([zstd(layer.subarray(0, 1 << 20))!, zstd(layer.subarray(1 << 20))!]);
  const img2 = await writeDockerArchive([two]);
  assert.ok((await openImage(img2, want)).view.read('lib/apk/db/installed'));
});

test('zstd bombs, huge windows and truncation are refused with codes', async (t) => {
  const zeros = await packTar([{ name: 'zero', content: Buffer.alloc(96 << 20) }]);
  const z = zstd(zeros, ['-19']);
  if (!z) return t.skip('zstd not installed (apt-get install zstd)');
  const limits = { ...DEFAULT_LIMITS, ratioGraceBytes: 1 << 20, maxRatio: 50 };
  await assert.rejects(openImage(await writeDockerArchive([z]), want, limits), {
    code: 'SCAN_DECOMPRESSION_BOMB',
  });
  await assert.rejects(
    openImage(await writeDockerArchive([z]), want, { ...DEFAULT_LIMITS, maxTotalBytes: 8 << 20 }),
    { code: 'SCAN_DECOMPRESSION_BOMB' },
  );
  // A frame header declaring a 2 GiB window (window descriptor exponent 21).
  const huge = Buffer.from([
    0x28,
    0xb5,
    0x2f,
    0xfd,
    0x00,
    21 << 3,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
  assert.equal(zstdWindowSize(huge), 2 ** 31);
  await assert.rejects(openImage(await writeDockerArchive([huge]), want), {
    code: 'SCAN_DECOMPRESSION_BOMB',
  });
  const layer = await packTar([{ name: 'etc/os-release', content: Buffer.alloc(1 << 20, 'y') }]);
  const ok = zstd(layer)!;
  await assert.rejects(
    openImage(await writeDockerArchive([ok.subarray(0, ok.length >> 1)]), want),
    { code: 'SCAN_ARCHIVE_CORRUPT' },
  );
  const garbled = Buffer.from(ok);
  garbled.fill(0xa5, 16, 64);
  await assert.rejects(
    openImage(await writeDockerArchive([garbled]), want),
    (e: { code?: string }) => ['SCAN_ARCHIVE_CORRUPT', 'SCAN_BAD_MANIFEST'].includes(e.code ?? ''),
  );
});
