import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifests, podOf } from './index.ts';

test('multi-document input: bad documents become diagnostics, good ones still load', () => {
  const text = [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c}]}',
    'kind: [unclosed',
    'just a string',
    'apiVersion: v1\nmetadata: {name: nokind}',
    'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: b}}\n- 42',
    '',
  ].join('\n---\n');
  const r = loadManifests(text, 'm.yaml');
  assert.deepEqual(r.objects.map((o) => o.obj.metadata?.name), ['a', 'b']);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['COMPLIANCE_YAML_PARSE', 'COMPLIANCE_NOT_OBJECT', 'COMPLIANCE_NO_KIND', 'COMPLIANCE_NOT_OBJECT']);
  assert.equal(r.diagnostics[0]!.file, 'm.yaml');
  assert.ok((r.diagnostics[0]!.line ?? 0) >= 5);
});

test('anchor bombs are refused per document', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (let i = 0; i < 9; i++) bomb.push(`${'bcdefghij'[i]}: &${'bcdefghij'[i]} [${Array(9).fill('*' + (i === 0 ? 'a' : 'bcdefghij'[i - 1])).join(', ')}]`);
  const text = `kind: ConfigMap\nmetadata: {name: bomb}\ndata:\n  ${bomb.join('\n  ')}\n---\nkind: Pod\nmetadata: {name: ok}\n`;
  const r = loadManifests(text, 'bomb.yaml');
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['COMPLIANCE_YAML_ALIAS_LIMIT']);
  assert.deepEqual(r.objects.map((o) => o.obj.metadata?.name), ['ok']);
});

test('oversized input is refused with a code', () => {
  const r = loadManifests('kind: Pod\n' + '#'.repeat(200), 'big.yaml', { maxBytes: 100, maxAliasCount: 100 });
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['COMPLIANCE_INPUT_TOO_LARGE']);
});

test('podOf finds the pod in every pod-bearing kind', () => {
  const spec = { containers: [{ name: 'c' }] };
  const tpl = { metadata: { labels: { a: 'b' } }, spec };
  for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']) {
    assert.deepEqual(podOf({ kind, spec: { template: tpl } })?.spec, spec, kind);
  }
  assert.equal(podOf({ kind: 'CronJob', spec: { jobTemplate: { spec: { template: tpl } } } })?.specPath, '$.spec.jobTemplate.spec.template.spec');
  assert.deepEqual(podOf({ kind: 'PodTemplate', template: tpl })?.spec, spec);
  assert.deepEqual(podOf({ kind: 'Pod', spec })?.spec, spec);
  assert.equal(podOf({ kind: 'Service' }), undefined);
});
