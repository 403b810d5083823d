import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveCredentials } from './credentials.ts';

function config(doc: unknown): string {
  const f = join(mkdtempSync(join(tmpdir(), 'vigil-dockercfg-')), 'config.json');
  writeFileSync(f, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return f;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('Docker config auths: base64 auth, username/password, identity token, key forms', () => {
  const configPath = config({
    auths: {
      'https://index.docker.io/v1/': { auth: b64('hubuser:hub:pass') },
      'reg.example:5000': { username: 'u', password: 'p' },
      'https://ghcr.io': { identitytoken: 'refresh-me' },
    },
  });
  assert.deepEqual(resolveCredentials('registry-1.docker.io', { configPath }), {
    username: 'hubuser',
    password: 'hub:pass',
  });
  assert.deepEqual(resolveCredentials('reg.example:5000', { configPath }), {
    username: 'u',
    password: 'p',
  });
  assert.deepEqual(resolveCredentials('ghcr.io', { configPath }), { identityToken: 'refresh-me' });
  assert.equal(resolveCredentials('quay.io', { configPath }), undefined);
  // Flags win over the file.
  assert.deepEqual(resolveCredentials('ghcr.io', { configPath, username: 'a', password: 'b' }), {
    username: 'a',
    password: 'b',
  });
  assert.throws(() => resolveCredentials('x.io', { username: 'a' }), {
    code: 'SCAN_REGISTRY_AUTH',
  });
  assert.equal(resolveCredentials('x.io', { configPath: '/nonexistent/config.json' }), undefined);
});

test('bad Docker configs give SCAN_REGISTRY_AUTH with a position', () => {
  assert.throws(() => resolveCredentials('x.io', { configPath: config('{not json') }), {
    code: 'SCAN_REGISTRY_AUTH',
  });
  const configPath = config({ auths: { 'x.io': { auth: b64('no-colon') } } });
  assert.throws(
    () => resolveCredentials('x.io', { configPath }),
    (e: { code?: string; diagnostic?: { jsonPath?: string } }) =>
      e.code === 'SCAN_REGISTRY_AUTH' && e.diagnostic?.jsonPath === '$.auths["x.io"].auth',
  );
});

test('credential helpers (credHelpers, credsStore) through docker-credential-NAME get', () => {
  const bin = mkdtempSync(join(tmpdir(), 'vigil-credhelper-'));
  // A helper speaking the docker-credential protocol: server URL on stdin, JSON on stdout.
  const helper = join(bin, 'docker-credential-vigiltest');
  writeFileSync(
    helper,
    '#!/bin/sh\n[ "$1" = get ] || exit 1\nread s\ncase "$s" in\n' +
      '  helper.example) echo \'{"ServerURL":"helper.example","Username":"hu","Secret":"hs"}\' ;;\n' +
      '  tok.example) echo \'{"ServerURL":"tok.example","Username":"<token>","Secret":"idt"}\' ;;\n' +
      '  *) echo "credentials not found in native keychain"; exit 1 ;;\nesac\n',
  );
  chmodSync(helper, 0o755);
  const path = process.env.PATH;
  process.env.PATH = `${bin}:${path}`;
  try {
    const configPath = config({
      credHelpers: { 'helper.example': 'vigiltest' },
      credsStore: 'vigiltest',
      auths: { 'helper.example': { username: 'ignored', password: 'x' } },
    });
    assert.deepEqual(resolveCredentials('helper.example', { configPath }), {
      username: 'hu',
      password: 'hs',
    });
    assert.deepEqual(resolveCredentials('tok.example', { configPath }), { identityToken: 'idt' });
    assert.equal(resolveCredentials('none.example', { configPath }), undefined);
    const missing = config({ credsStore: 'absent-helper' });
    assert.equal(resolveCredentials('a.example', { configPath: missing }), undefined);
  } finally {
    process.env.PATH = path;
  }
});
