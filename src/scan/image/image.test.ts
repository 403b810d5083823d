import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { VigilError } from '../../core/index.ts';
import { packTar, writeDockerArchive } from './fixtures.test-helpers.ts';
import { DEFAULT_LIMITS, FileView, openImage } from './index.ts';

const all = (): boolean => true;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    assert.ok(e instanceof VigilError, `expected VigilError, got ${String(e)}`);
    return e.code;
  }
}

test('layers apply in order with whiteouts and opaque directories', async () => {
  const base = await packTar([
    { name: 'etc/os-release', content: 'ID=alpine\n' },
    { name: 'lib/apk/db/installed', content: 'P:a\nV:1\n' },
    { name: 'opt/app/one', content: '1' },
    { name: 'opt/app/two', content: '2' },
    { name: 'srv/x', content: 'x' },
  ]);
  const upper = await packTar([
    { name: 'lib/apk/db/.wh.installed', content: '' },
    { name: 'opt/app/.wh..wh..opq', content: '' },
    { name: 'opt/app/three', content: '3' },
    { name: 'srv/x', content: 'y' },
  ]);
  for (const gzipOuter of [false, true]) {
    const file = await writeDockerArchive([base, upper], { gzipOuter, gzipLayers: true });
    const { contents, view } = await openImage(file, all);
    assert.equal(contents.format, 'docker-archive');
    assert.deepEqual(contents.repoTags, ['test:latest']);
    assert.deepEqual(view.paths(), ['etc/os-release', 'opt/app/three', 'srv/x']);
    assert.equal(view.read('srv/x')?.toString(), 'y');
    assert.equal(view.get('srv/x')?.layer, 1);
    assert.equal(view.get('etc/os-release')?.layer, 0);
  }
});

test('symlinks and hardlinks resolve inside the image', async () => {
  const layer = await packTar([
    { name: 'usr/lib/os-release', content: 'ID=debian\n' },
    { name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
    { name: 'lib', type: 'symlink', linkname: 'usr/lib' },
    { name: 'usr/lib/hard', type: 'link', linkname: 'usr/lib/os-release' },
  ]);
  const { view } = await openImage(await writeDockerArchive([layer]), all);
  assert.equal(view.read('etc/os-release')?.toString(), 'ID=debian\n');
  assert.equal(view.read('lib/os-release')?.toString(), 'ID=debian\n');
  assert.equal(view.read('usr/lib/hard')?.toString(), 'ID=debian\n');
});

test('hostile layers are refused with stable codes', async () => {
  const cases: [string, Buffer][] = [
    ['SCAN_PATH_TRAVERSAL', await packTar([{ name: '../../etc/passwd', content: 'x' }])],
    [
      'SCAN_LINK_ESCAPE',
      await packTar([{ name: 'a/b', type: 'symlink', linkname: '../../../etc/shadow' }]),
    ],
    ['SCAN_LINK_ESCAPE', await packTar([{ name: 'a', type: 'link', linkname: '../outside' }])],
    ['SCAN_DEVICE_FILE', await packTar([{ name: 'etc/sda', type: 'character-device' }])],
  ];
  for (const [code, layer] of cases)
    assert.equal(await codeOf(openImage(await writeDockerArchive([layer]), all)), code);
});

test('decompression bombs stop before they are materialised', async () => {
  const zeros = await packTar([{ name: 'big', content: Buffer.alloc(8 * 1024 * 1024) }]);
  const file = await writeDockerArchive([zeros], { gzipLayers: true });
  const limits = { ...DEFAULT_LIMITS, ratioGraceBytes: 1024 * 1024, maxRatio: 20 };
  assert.equal(await codeOf(openImage(file, all, limits)), 'SCAN_DECOMPRESSION_BOMB');
  assert.equal(
    await codeOf(openImage(file, all, { ...DEFAULT_LIMITS, maxTotalBytes: 1024 * 1024 })),
    'SCAN_DECOMPRESSION_BOMB',
  );
  // the same archive within default limits is fine
  assert.equal(await codeOf(openImage(file, all)), 'no error');
});

test('truncated gzip, garbage and bad manifests are corrupt archives', async () => {
  const layer = await packTar([{ name: 'etc/os-release', content: 'ID=alpine\n' }]);
  const good = await writeDockerArchive([layer], { gzipOuter: true });
  const bytes = readFileSync(good);
  writeFileSync(good, bytes.subarray(0, Math.floor(bytes.length / 2)));
  assert.equal(await codeOf(openImage(good, all)), 'SCAN_ARCHIVE_CORRUPT');
  const garbage = await writeDockerArchive([layer]);
  writeFileSync(garbage, gzipSync(Buffer.from('not a tar at all'.repeat(100))));
  assert.match(await codeOf(openImage(garbage, all)), /SCAN_(ARCHIVE_CORRUPT|BAD_MANIFEST)/);
  assert.equal(
    await codeOf(openImage(await writeDockerArchive([layer], { manifest: '{' }), all)),
    'SCAN_BAD_MANIFEST',
  );
  assert.equal(
    await codeOf(
      openImage(
        await writeDockerArchive([layer], {
          manifest: '[{"Config":"config.json","Layers":["nope"]}]',
        }),
        all,
      ),
    ),
    'SCAN_BAD_MANIFEST',
  );
  assert.equal(await codeOf(openImage('/nonexistent/image.tar', all)), 'SCAN_NOT_FOUND');
});

test('device nodes under /dev are ignored, as debootstrap images carry them', async () => {
  const layer = await packTar([
    { name: 'dev/console', type: 'character-device' },
    { name: 'etc/os-release', content: 'ID=debian\n' },
  ]);
  const { view } = await openImage(await writeDockerArchive([layer]), all);
  assert.deepEqual(view.paths(), ['etc/os-release']);
});

test('symlink loops are reported, not followed forever', () => {
  const view = new FileView();
  view.apply({
    entries: new Map([
      ['a', { path: 'a', kind: 'symlink', layer: 0, mode: 0, size: 0, linkTarget: 'b' }],
      ['b', { path: 'b', kind: 'symlink', layer: 0, mode: 0, size: 0, linkTarget: 'a' }],
    ]),
    whiteouts: [],
    opaques: [],
    bytes: 0,
    entryCount: 2,
  });
  assert.throws(
    () => view.get('a'),
    (e: unknown) => e instanceof VigilError && e.code === 'SCAN_SYMLINK_LOOP',
  );
});
