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
  assert.deepEqual(
    r.objects.map((o) => o.obj.metadata?.name),
    ['a', 'b'],
  );
  assert.deepEqual(
    r.diagnostics.map((d) => d.code),
    [
      'COMPLIANCE_YAML_PARSE',
      'COMPLIANCE_NOT_OBJECT',
      'COMPLIANCE_NO_KIND',
      'COMPLIANCE_NOT_OBJECT',
    ],
  );
  assert.equal(r.diagnostics[0]!.file, 'm.yaml');
  assert.ok((r.diagnostics[0]!.line ?? 0) >= 5);
});

test('anchor bombs are refused per document', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (let i = 0; i < 9; i++)
    bomb.push(
      `${'bcdefghij'[i]}: &${'bcdefghij'[i]} [${Array(9)
        .fill('*' + (i === 0 ? 'a' : 'bcdefghij'[i - 1]))
        .join(', ')}]`,
    );
  const text = `kind: ConfigMap\nmetadata: {name: bomb}\ndata:\n  ${bomb.join('\n  ')}\n---\nkind: Pod\nmetadata: {name: ok}\n`;
  const r = loadManifests(text, 'bomb.yaml');
  assert.deepEqual(
    r.diagnostics.map((d) => d.code),
    ['COMPLIANCE_YAML_ALIAS_LIMIT'],
  );
  assert.deepEqual(
    r.objects.map((o) => o.obj.metadata?.name),
    ['ok'],
  );
});

test('oversized input is refused with a code', () => {
  const r = loadManifests('kind: Pod\n' + '#'.repeat(200), 'big.yaml', {
    maxBytes: 100,
    maxDocBytes: 100,
    maxAliasCount: 100,
  });
  assert.deepEqual(
    r.diagnostics.map((d) => d.code),
    ['COMPLIANCE_INPUT_TOO_LARGE'],
  );
});

test('podOf finds the pod in every pod-bearing kind', () => {
  const spec = { containers: [{ name: 'c' }] };
  const tpl = { metadata: { labels: { a: 'b' } }, spec };
  for (const kind of [
    'Deployment',
    'ReplicaSet',
    'StatefulSet',
    'DaemonSet',
    'Job',
    'ReplicationController',
  ]) {
    assert.deepEqual(podOf({ kind, spec: { template: tpl } })?.spec, spec, kind);
  }
  assert.equal(
    podOf({ kind: 'CronJob', spec: { jobTemplate: { spec: { template: tpl } } } })?.specPath,
    '$.spec.jobTemplate.spec.template.spec',
  );
  assert.deepEqual(podOf({ kind: 'PodTemplate', template: tpl })?.spec, spec);
  assert.deepEqual(podOf({ kind: 'Pod', spec })?.spec, spec);
  assert.equal(podOf({ kind: 'Service' }), undefined);
});

test('a huge document is skipped with its own error; the others load', () => {
  const big = `kind: ConfigMap\nmetadata: {name: big}\ndata:\n${Array.from({ length: 2000 }, (_, i) => `  k${i}: ${'x'.repeat(40)}`).join('\n')}\n`;
  const text = `kind: Pod\nmetadata: {name: a}\n---\n${big}---\nkind: Pod\nmetadata: {name: b}\n`;
  const r = loadManifests(text, 'h.yaml', {
    maxBytes: 1 << 20,
    maxDocBytes: 10_000,
    maxAliasCount: 100,
  });
  assert.deepEqual(
    r.objects.map((o) => o.obj.metadata?.name),
    ['a', 'b'],
  );
  assert.deepEqual(
    r.diagnostics.map((d) => [d.code, d.line]),
    [['COMPLIANCE_DOC_TOO_LARGE', 3]],
  );
  assert.equal(r.objects[1]!.line, 2007); // the --- marker line that opens it
});

test('Helm template output: Source comments, empty documents, a broken one in the middle', () => {
  const text = [
    '---',
    '# Source: shop/templates/sa.yaml',
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata: {name: shop}',
    '---',
    '# Source: shop/templates/empty.yaml',
    '---',
    '# Source: shop/templates/bad.yaml',
    'metadata: {name: "unterminated',
    '---',
    '# Source: shop/templates/deploy.yaml',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: shop}',
  ].join('\n');
  const r = loadManifests(text, 'helm.yaml');
  assert.deepEqual(
    r.objects.map((o) => `${o.obj.kind}@${o.line}`),
    ['ServiceAccount@1', 'Deployment@11'],
  );
  assert.deepEqual(
    r.diagnostics.map((d) => d.code),
    ['COMPLIANCE_YAML_PARSE'],
  );
  assert.ok(r.diagnostics[0]!.line! >= 9 && r.diagnostics[0]!.line! <= 11);
});

test('pathologically deep nesting is refused per document, never crashes', () => {
  const text = `kind: Pod\nspec: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n---\nkind: Pod\nmetadata: {name: ok}\n`;
  const r = loadManifests(text, 'deep.yaml');
  assert.deepEqual(
    r.objects.map((o) => o.obj.metadata?.name),
    ['ok'],
  );
  assert.deepEqual(
    r.diagnostics.map((d) => d.code),
    ['COMPLIANCE_YAML_PARSE'],
  );
});
