/**
 * containerd image store: an image built with umoci, turned into a docker-archive by skopeo and
 * imported with `ctr images import` into a namespace of the running containerd, then scanned as
 * `containerd://NAMESPACE/REF` (and by its short name) against the same image read from the
 * archive. Skips with the reason when containerd, ctr, umoci or skopeo is missing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { detectSocket } from '../../src/k8s/index.ts';
import { scanTarget } from '../../src/scan/index.ts';

const NS = 'vigil-scan-test';
const socket = detectSocket();
const tools = ['ctr', 'umoci', 'skopeo'].filter(
  (t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0,
);
const skip = !socket
  ? 'no containerd socket (/run/k3s/containerd/containerd.sock or /run/containerd/containerd.sock)'
  : tools.length
    ? `needs ${tools.join(', ')}`
    : process.getuid?.() !== 0
      ? 'needs root for the containerd socket'
      : false;

let dir = '';
let archive = '';
const run = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

before(() => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'vigil-ctr-'));
  const root = join(dir, 'rootfs');
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(root, 'lib/apk/db'), { recursive: true });
  writeFileSync(join(root, 'etc/os-release'), 'ID=alpine\nVERSION_ID=3.19.1\n');
  writeFileSync(
    join(root, 'lib/apk/db/installed'),
    'P:musl\nV:1.2.4_git20230717-r4\nA:x86_64\no:musl\n\nP:zlib\nV:1.3.1-r0\nA:x86_64\no:zlib\n\n',
  );
  mkdirSync(join(root, 'zz-last')); // umoci 0.4.7 omits the tar trailer after a last file
  run('umoci', ['init', '--layout', join(dir, 'oci')]);
  run('umoci', ['new', '--image', `${dir}/oci:t`]);
  run('umoci', ['insert', '--image', `${dir}/oci:t`, root, '/']);
  archive = join(dir, 'img.tar');
  run('skopeo', ['copy', `oci:${dir}/oci:t`, `docker-archive:${archive}:vigil/ctrtest:t`]);
  run('ctr', ['-a', socket!, '-n', NS, 'images', 'import', '--no-unpack', archive]);
});

after(() => {
  if (skip) return;
  spawnSync('ctr', ['-a', socket!, '-n', NS, 'images', 'rm', 'docker.io/vigil/ctrtest:t']);
  if (dir && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
});

test(
  'containerd://NAMESPACE/REF equals the same image read from its archive',
  { skip },
  async () => {
    const fromArchive = await scanTarget('image', archive);
    const want = fromArchive.inventory.packages.map((p) => p.purl).sort();
    assert.equal(want.length, 2);
    for (const ref of [
      `containerd://${NS}/docker.io/vigil/ctrtest:t`,
      `containerd://${NS}/vigil/ctrtest:t`,
    ]) {
      const r = await scanTarget('image', ref);
      assert.equal(r.target.format, 'containerd');
      assert.deepEqual(r.inventory.packages.map((p) => p.purl).sort(), want, ref);
      assert.equal(r.inventory.os?.version, '3.19.1');
      assert.deepEqual(r.target.repoTags, ['docker.io/vigil/ctrtest:t']);
    }
  },
);

test('containerd: an absent image is SCAN_NOT_FOUND', { skip }, async () => {
  await assert.rejects(scanTarget('image', `containerd://${NS}/docker.io/vigil/absent:t`), {
    code: 'SCAN_NOT_FOUND',
  });
});
