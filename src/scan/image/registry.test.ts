import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { packTar } from './fixtures.test-helpers.ts';
import { parseImageRef, readRegistryImage } from './registry.ts';

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

test('image references', () => {
  assert.deepEqual(parseImageRef('alpine'), {
    registry: 'registry-1.docker.io',
    repository: 'library/alpine',
    reference: 'latest',
    scheme: 'https',
  });
  assert.deepEqual(parseImageRef('127.0.0.1:5000/team/app:1.2'), {
    registry: '127.0.0.1:5000',
    repository: 'team/app',
    reference: '1.2',
    scheme: 'http',
  });
  assert.equal(parseImageRef('ghcr.io/x/y@sha256:abc').reference, 'sha256:abc');
});

test('pulls through a bearer-token challenge and a multi-platform index', async () => {
  const layer = gzipSync(
    await packTar([{ name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.19.0\n' }]),
  );
  const config = Buffer.from(
    JSON.stringify({
      os: 'linux',
      architecture: 'arm64',
      rootfs: { type: 'layers', diff_ids: ['sha256:00'] },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { digest: sha(config), size: config.length },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          digest: sha(layer),
          size: layer.length,
        },
      ],
    }),
  );
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { digest: 'sha256:' + 'f'.repeat(64), platform: { os: 'linux', architecture: 'amd64' } },
        { digest: sha(manifest), platform: { os: 'linux', architecture: 'arm64' } },
      ],
    }),
  );
  const blobs = new Map([
    [sha(config), config],
    [sha(layer), layer],
  ]);
  const server = createServer((req, res) => {
    const url = req.url ?? '';
    if (url.startsWith('/token')) {
      assert.match(url, /scope=repository%3Ateam%2F\w+%3Apull/);
      return void res.end(JSON.stringify({ token: 'T' }));
    }
    if (req.headers.authorization !== 'Bearer T') {
      res.writeHead(401, {
        'www-authenticate': `Bearer realm="http://127.0.0.1:${(server.address() as AddressInfo).port}/token",service="test"`,
      });
      return void res.end();
    }
    if (url === '/v2/team/app/manifests/1.0') return void res.end(index);
    if (url === `/v2/team/app/manifests/${sha(manifest)}`) return void res.end(manifest);
    const blob = blobs.get(url.replace('/v2/team/app/blobs/', ''));
    if (blob) return void res.end(blob);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as AddressInfo).port;
    const { contents, view } = await readRegistryImage(
      `127.0.0.1:${port}/team/app:1.0`,
      () => true,
      { platform: { os: 'linux', architecture: 'arm64' } },
    );
    assert.equal(contents.format, 'registry');
    assert.equal(contents.layers[0]?.digest, sha(layer));
    assert.equal(view.read('etc/os-release')?.toString(), 'ID=alpine\nVERSION_ID=3.19.0\n');
    await assert.rejects(
      readRegistryImage(`127.0.0.1:${port}/team/missing:1.0`, () => true),
      (e: Error & { code?: string }) => e.code === 'SCAN_NOT_FOUND',
    );
  } finally {
    server.close();
  }
});
