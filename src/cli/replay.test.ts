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
  assert.ok(r.stdout.includes('"evt.time":1470327477881781397'), 'evt.time is the exact ns integer');
  assert.equal(r.stderr, '');
});

test('vigil replay: bad capture exits 1 with a coded error; unknown option value exits 2', { skip }, () => {
  // a YAML file is neither a capture nor an audit log (JSON input goes to the k8s audit reader)
  const rulesFile = join(legacy.path, 'rules', 'SingleRule__single_rule.yaml');
  const bad = vigil('replay', '-q', '-r', rulesFile, rulesFile);
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

test('vigil replay -T/-t/-D select rules like falco', { skip }, () => {
  const rules = join(legacy.path, 'rules', 'TaggedRules__tagged_rules.yaml');
  const capture = join(scap.path, 'falco-0.34.1', 'open-multiple-files.scap');
  const run = (...a: string[]) => {
    const r = vigil('replay', '-q', '-o', 'json', '-r', rules, ...a, capture);
    assert.equal(r.status, 0, r.stderr);
    return new Set(r.stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { rule: string }).rule));
  };
  const all = run();
  const onlyD = run('-t', 'd');
  const notA = run('-T', 'a');
  const notOpen1 = run('-D', 'open_1');
  assert.ok(all.has('open_1') && all.has('open_11'));
  assert.deepEqual([...onlyD], ['open_11']);
  assert.ok(!notA.has('open_1') && notA.has('open_2'));
  assert.ok(!notOpen1.has('open_1') && !notOpen1.has('open_11') && notOpen1.has('open_2'));
});
