import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectPath } from '../core/index.ts';
import { needConformance } from '../../test/conformance/helpers.ts';

const legacy = needConformance('falco', 'legacy');
const scap = needConformance('falco', 'scap');
const skip = legacy.skip || scap.skip;

function vigil(...args: string[]) {
  return spawnSync(process.execPath, [projectPath('bin', 'vigil.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, FALCO_HOSTNAME: 'test-host' } });
}

test('vigil replay prints falco -e text lines and a summary on stderr', { skip }, () => {
  const r = vigil('replay', '-r', join(legacy.path, 'rules', 'SingleRule__single_rule.yaml'), join(scap.path, 'falco-0.34.1', 'cat_write.scap'));
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  // exit events only (Falco 0.42+): the four opens of cat
  assert.equal(lines.length, 4);
  assert.equal(lines[0], '16:17:57.881785348: Warning An open was seen (command=cat /dev/null)');
  assert.match(r.stderr, /Events read: 345/);
  assert.match(r.stderr, /open_from_cat: 4/);
});

test('vigil replay -o json --enter-events gives Falco JSON alerts with json_include_* overrides', { skip }, () => {
  const r = vigil('replay', '-q', '--enter-events', '-o', 'json', '-o', 'json_include_tags_property=false', '-r', join(legacy.path, 'rules', 'SingleRule__single_rule.yaml'), join(scap.path, 'falco-0.34.1', 'cat_write.scap'));
  assert.equal(r.status, 0, r.stderr);
  const alerts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(alerts.length, 8);
  assert.deepEqual(Object.keys(alerts[0]), ['hostname', 'output', 'output_fields', 'priority', 'rule', 'source', 'time']);
  assert.equal(alerts[0].hostname, 'test-host');
  assert.equal(alerts[0].time, '2016-08-04T16:17:57.881781397Z');
  assert.equal(r.stderr, '');
});

test('vigil replay: bad capture exits 1 with a coded error; unknown option value exits 2', { skip }, () => {
  const bad = vigil('replay', '-q', '-r', join(legacy.path, 'rules', 'SingleRule__single_rule.yaml'), join(legacy.path, 'legacy_expected.dev.json'));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /SCAP_BAD_MAGIC/);
  const misuse = vigil('replay', '--rule-matching', 'some', join(scap.path, 'falco-0.34.1', 'cat_write.scap'));
  assert.equal(misuse.status, 2);
});

test('vigil fields -o json lists syscall fields with types', () => {
  const r = vigil('fields', '-o', 'json', '--source', 'syscall');
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { name: string; type: string }[];
  assert.ok(rows.some((x) => x.name === 'proc.cmdline' && x.type === 'CHARBUF'));
  assert.ok(rows.length > 200);
});
