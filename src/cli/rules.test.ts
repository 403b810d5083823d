import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../core/index.ts';

const skip = false;

function vigil(...args: string[]) {
  const r = spawnSync(process.execPath, [projectPath('bin', 'vigil.mjs'), ...args], {
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
const good = join(dir, 'good.yaml');
writeFileSync(
  good,
  '- list: shells\n  items: [sh, bash]\n- macro: spawned\n  condition: evt.type in (execve, execveat)\n' +
    '- rule: Shell spawned\n  desc: a shell\n  condition: spawned and proc.name in (shells)\n  output: shell %proc.name\n  priority: WARNING\n  tags: [shell, process]\n',
);
const bad = join(dir, 'bad.yaml');
writeFileSync(
  bad,
  '- rule: r\n  desc: d\n  condition: evt.type = open and nope\n  output: o\n  priority: INFO\n',
);

test('rules validate: exit 0 / 1 / 2 and the JSON shape', { skip }, () => {
  const ok = vigil('rules', 'validate', '-o', 'json', good);
  assert.equal(ok.code, 0, ok.err);
  const j = JSON.parse(ok.out);
  assert.deepEqual(Object.keys(j), ['ok', 'errors', 'warnings', 'counts']);
  assert.deepEqual(j.counts, { rules: 1, macros: 1, lists: 1 });
  const ko = vigil('rules', 'validate', '-o', 'json', bad);
  assert.equal(ko.code, 1);
  assert.equal(JSON.parse(ko.out).errors[0].code, 'LOAD_ERR_VALIDATE');
  assert.equal(vigil('rules', 'validate', '-o', 'yaml', good).code, 2);
  assert.equal(vigil('rules', 'validate').code, 2);
  assert.equal(vigil('rules', 'validate', join(dir, 'missing.yaml')).code, 1);
});

test('rules list and show --compiled', { skip }, () => {
  const l = vigil('rules', 'list', '-o', 'json', '-r', good);
  assert.equal(l.code, 0, l.err);
  const rows = JSON.parse(l.out);
  assert.deepEqual(rows[0], {
    name: 'Shell spawned',
    priority: 'Warning',
    source: 'syscall',
    enabled: true,
    tags: ['process', 'shell'],
    eventTypes: ['execve', 'execveat'],
  });
  const s = vigil('rules', 'show', '-r', good, '--compiled', 'Shell spawned');
  assert.equal(s.code, 0, s.err);
  assert.equal(s.out, '(evt.type in (execve, execveat) and proc.name in (sh, bash))\n');
  assert.equal(vigil('rules', 'show', '-r', good, '--compiled', 'nope').code, 1);
});
