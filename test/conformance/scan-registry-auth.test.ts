/**
 * Registry credentials against a real registry: Debian's docker-registry with htpasswd auth on
 * a free 127.0.0.1 port (started here), an image built with umoci and pushed with skopeo using
 * credentials; pulled with flags, with a Docker config, and refused without or with bad ones.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { scanTarget } from '../../src/scan/index.ts';

const missing = ['docker-registry', 'umoci', 'skopeo'].filter(
  (t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0,
);
const skip = missing.length ? `needs ${missing.join(', ')} (.ci/apt-packages.d/scan.txt)` : false;

let dir = '';
let registry: ChildProcess | undefined;
let ref = '';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'vigil-reg-auth-'));
  const port = await freePort();
  writeFileSync(join(dir, 'htpasswd'), `vigil:${bcrypt.hashSync('s3cret', 5)}\n`);
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/storage\nhttp:\n  addr: 127.0.0.1:${port}\nauth:\n  htpasswd:\n    realm: vigil-test\n    path: ${dir}/htpasswd\n`,
  );
  registry = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const status = await fetch(`http://127.0.0.1:${port}/v2/`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 401) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const root = join(dir, 'rootfs');
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(root, 'var/lib/dpkg'), { recursive: true });
  writeFileSync(join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n');
  writeFileSync(
    join(root, 'var/lib/dpkg/status'),
    'Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\n\n',
  );
  // umoci 0.4.7 leaves out the tar trailer (and the last file's padding): a directory last
  // keeps the layer a complete tar.
  mkdirSync(join(root, 'zz-last'));
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  };
  run('umoci', ['init', '--layout', join(dir, 'oci')]);
  run('umoci', ['new', '--image', `${dir}/oci:t`]);
  run('umoci', ['insert', '--image', `${dir}/oci:t`, root, '/']);
  ref = `127.0.0.1:${port}/vigil/private:t`;
  run('skopeo', [
    'copy',
    '--dest-tls-verify=false',
    '--dest-creds',
    'vigil:s3cret',
    `oci:${dir}/oci:t`,
    `docker://${ref}`,
  ]);
});

after(() => {
  registry?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const noConfig = () => join(dir, 'no-docker-config.json');

test('htpasswd registry: anonymous and wrong password are refused', { skip }, async () => {
  await assert.rejects(scanTarget('image', ref, undefined, { auth: { configPath: noConfig() } }), {
    code: 'SCAN_REGISTRY_AUTH',
  });
  await assert.rejects(
    scanTarget('image', ref, undefined, { auth: { username: 'vigil', password: 'wrong' } }),
    { code: 'SCAN_REGISTRY_AUTH' },
  );
});

test('htpasswd registry: --username/--password', { skip }, async () => {
  const r = await scanTarget('image', ref, undefined, {
    auth: { username: 'vigil', password: 's3cret' },
  });
  assert.deepEqual(
    r.inventory.packages.map((p) => `${p.name}@${p.version}`),
    ['zlib1g@1:1.2.13.dfsg-1'],
  );
});

test(
  'htpasswd registry: Docker config auths (base64 auth and username/password)',
  { skip },
  async () => {
    const host = ref.split('/')[0]!;
    for (const entry of [
      { auth: Buffer.from('vigil:s3cret').toString('base64') },
      { username: 'vigil', password: 's3cret' },
    ]) {
      const configPath = join(dir, 'config.json');
      writeFileSync(configPath, JSON.stringify({ auths: { [host]: entry } }));
      const r = await scanTarget('image', ref, undefined, { auth: { configPath } });
      assert.equal(r.inventory.os?.family, 'debian');
      assert.equal(r.inventory.packages.length, 1);
    }
  },
);

test('htpasswd registry: vigil scan image --username/--password (CLI)', { skip }, () => {
  const cli = join(import.meta.dirname, '..', '..', 'bin', 'vigil.mjs');
  const env = { ...process.env, DOCKER_CONFIG: join(dir, 'empty-docker-config') };
  const ok = spawnSync(
    process.execPath,
    [
      cli,
      'scan',
      'image',
      ref,
      '--username',
      'vigil',
      '--password',
      's3cret',
      '-o',
      'json',
      '--db',
      join(dir, 'none.sqlite'),
    ],
    { encoding: 'utf8', env },
  );
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /zlib1g/);
  const denied = spawnSync(process.execPath, [cli, 'scan', 'image', ref, '-o', 'json'], {
    encoding: 'utf8',
    env,
  });
  assert.equal(denied.status, 2);
  assert.match(denied.stderr, /SCAN_REGISTRY_AUTH/);
});
