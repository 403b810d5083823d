/**
 * A real registry: Debian's docker-registry on loopback serving a debootstrap-built bookworm
 * image (pushed by .ci/services/registry.sh), scanned by reference. The package count is
 * cross-checked with dpkg-query over the same rootfs when it is on this machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { scanTarget } from '../../src/scan/index.ts';

const registry = process.env.VIGIL_TEST_REGISTRY ?? '127.0.0.1:5000';
const ref = `${registry}/vigil/bookworm:test`;

async function available(): Promise<boolean> {
  try {
    const r = await fetch(`http://${registry}/v2/vigil/bookworm/tags/list`);
    return r.ok;
  } catch {
    return false;
  }
}

test('bookworm image from a local registry', async (t) => {
  if (!(await available())) {
    const msg = `no registry image at ${ref} (run .ci/services/registry.sh): skipping`;
    console.log(`# SKIP ${msg}`);
    return t.skip(msg);
  }
  const r = await scanTarget('image', ref);
  assert.equal(r.target.format, 'registry');
  assert.equal(r.inventory.os?.family, 'debian');
  assert.equal(r.inventory.os?.version.split('.')[0], '12');
  const rootfs = process.env.VIGIL_REGISTRY_WORK
    ? `${process.env.VIGIL_REGISTRY_WORK}/rootfs`
    : '/var/tmp/vigil-bookworm/rootfs';
  if (existsSync(`${rootfs}/var/lib/dpkg/status`)) {
    const out = execFileSync(
      'dpkg-query',
      [`--admindir=${rootfs}/var/lib/dpkg`, '-W', '-f=${db:Status-Status}\\n'],
      { encoding: 'utf8' },
    );
    const want = out.split('\n').filter((s) => s === 'installed').length;
    console.log(`# registry bookworm: ${r.inventory.packages.length}/${want} packages`);
    assert.equal(r.inventory.packages.length, want);
  } else assert.ok(r.inventory.packages.length > 50);
});
