/**
 * Builders for generated test images (docker-archive tars with hand-made layers), used by the
 * image reader tests; nothing here is shipped.
 * @module
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

/** One entry of a generated layer. */
export interface TestEntry {
  name: string;
  type?: 'file' | 'symlink' | 'link' | 'directory' | 'character-device';
  content?: string | Buffer;
  linkname?: string;
  mode?: number;
}

/** Packs entries into a tar buffer. */
export async function packTar(entries: TestEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of pack as unknown as AsyncIterable<Buffer>) chunks.push(c);
  })();
  for (const e of entries) {
    const body =
      e.content === undefined
        ? undefined
        : Buffer.isBuffer(e.content)
          ? e.content
          : Buffer.from(e.content);
    pack.entry(
      {
        name: e.name,
        type: e.type ?? 'file',
        linkname: e.linkname,
        mode: e.mode ?? 0o644,
        size: body?.length ?? 0,
      },
      body ?? Buffer.alloc(0),
    );
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Writes a docker-archive with the given layers (each a tar buffer) and returns its path. */
export async function writeDockerArchive(
  layers: Buffer[],
  opts: { gzipOuter?: boolean; gzipLayers?: boolean; manifest?: string } = {},
): Promise<string> {
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    rootfs: {
      type: 'layers',
      diff_ids: layers.map((_, i) => `sha256:${String(i).padStart(64, '0')}`),
    },
  });
  const names = layers.map((_, i) => `layer${i}/layer.tar`);
  const entries: TestEntry[] = [{ name: 'config.json', content: config }];
  layers.forEach((l, i) =>
    entries.push({ name: names[i]!, content: opts.gzipLayers ? gzipSync(l) : l }),
  );
  entries.push({
    name: 'manifest.json',
    content:
      opts.manifest ??
      JSON.stringify([{ Config: 'config.json', RepoTags: ['test:latest'], Layers: names }]),
  });
  let outer = await packTar(entries);
  if (opts.gzipOuter) outer = gzipSync(outer);
  const file = join(
    mkdtempSync(join(tmpdir(), 'vigil-img-')),
    opts.gzipOuter ? 'image.tar.gz' : 'image.tar',
  );
  writeFileSync(file, outer);
  return file;
}
