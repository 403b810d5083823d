import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../core/index.ts';
import { TokenStore } from '../server/index.ts';

const data = join(mkdtempSync(join(tmpdir(), 'vigil-token-')), 'data');
const vigil = (...args: string[]) => {
  const r = spawnSync(process.execPath, [projectPath('bin/vigil.mjs'), 'token', ...args, '--data', data], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('create prints the token once, list shows it without the text, revoke removes it', () => {
  const c = vigil('create', '--scope', 'read', '--name', 'grafana', '-o', 'json');
  assert.equal(c.code, 0, c.err);
  const made = JSON.parse(c.out) as { id: string; token: string; scope: string };
  assert.equal(made.scope, 'read');
  // the token works against the same folder's store, as vigil up would check it
  assert.equal(new TokenStore(data).verify(made.token)?.scope, 'read');
  assert.ok(!readFileSync(join(data, 'tokens.json'), 'utf8').includes(made.token));
  const l = vigil('list', '-o', 'json');
  assert.equal(l.code, 0, l.err);
  assert.deepEqual((JSON.parse(l.out) as { id: string; name?: string }[]).map((t) => [t.id, t.name]), [[made.id, 'grafana']]);
  assert.ok(!l.out.includes(made.token));
  const plain = vigil('create', '--scope', 'admin');
  assert.equal(plain.code, 0, plain.err);
  assert.match(plain.out.trim(), /^vgl_[0-9a-f]{8}_\S+$/);
  assert.equal(vigil('revoke', made.id).code, 0);
  assert.equal(new TokenStore(data).verify(made.token), undefined);
  assert.equal(vigil('list', '-o', 'json').out.includes(made.id), false);
});

test('misuse and bad input: unknown scope (2), unknown id (1), corrupt token file (1, no crash)', () => {
  const s = vigil('create', '--scope', 'root');
  assert.equal(s.code, 2);
  assert.match(s.err, /--scope must be one of admin, read, ingest/);
  const r = vigil('revoke', 'nope');
  assert.equal(r.code, 1);
  assert.match(r.err, /no token with id 'nope'/);
  writeFileSync(join(data, 'tokens.json'), '[{"id": 1');
  const bad = vigil('list');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /TOKEN_FILE_BAD/);
  rmSync(join(data, '..'), { recursive: true, force: true });
});
