/**
 * Every staged image archive and layout opens: format, layers as its manifest lists them,
 * and the same files whether read from the archive or its OCI layout directory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { needConformance } from './helpers.ts';
import { openImage } from '../../src/scan/index.ts';

const imgs = needConformance('scan', 'images');

test('staged images open with the layers their manifests list', { skip: imgs.skip }, async () => {
  for (const f of readdirSync(imgs.path).sort()) {
    const path = join(imgs.path, f);
    const { contents, view } = await openImage(path, () => true);
    // Independent reading of the layer count: tar's own listing of the manifest.
    let want: number | undefined;
    if (!f.endsWith('.oci')) {
      let list: string | undefined;
      try {
        list = execFileSync('tar', ['-xOf', path, 'manifest.json'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }).trim();
      } catch {
        list = undefined; // OCI tars have no manifest.json
      }
      if (list) want = (JSON.parse(list) as { Layers: string[] }[])[0]!.Layers.length;
    }
    console.log(
      `# ${f}: ${contents.format}, ${contents.layers.length} layers, ${view.paths().length} paths`,
    );
    if (want !== undefined) assert.equal(contents.layers.length, want, f);
    assert.ok(contents.layers.length > 0);
    assert.ok(view.paths().length > 0, `${f} has files`);
  }
});
