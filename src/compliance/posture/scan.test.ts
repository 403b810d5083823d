import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanObjects } from './scan.ts';
import { parseWaivers } from './waivers.ts';
import { controls } from './controls/index.ts';
import { controlScore, frameworks, frameworkScore } from './score.ts';
import type { KubeObject } from '../manifests/index.ts';

const pod = (name: string, ns: string, privileged: boolean): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns },
  spec: { containers: [{ name: 'c', image: 'x:1', securityContext: { privileged } }] },
});
const vp001 = controls.filter((c) => c.id === 'VP-001');

test('control score is passed/(passed+failed); waived failures are accepted, not passed', () => {
  const objs = [
    pod('a', 'shop', true),
    pod('b', 'shop', false),
    pod('agent', 'monitoring', true),
    pod('c', 'shop', false),
  ];
  const plain = scanObjects(objs, { controls: vp001 }).controls[0]!;
  assert.deepEqual(
    [plain.passed, plain.failed, plain.accepted, plain.score, plain.status],
    [2, 2, 0, 50, 'failed'],
  );
  const { waivers, diagnostics } = parseWaivers(
    'waivers:\n- {control: VP-00?, namespace: monitor*, name: agent, reason: needs host access, expires: 2099-01-01}\n',
    'w.yaml',
  );
  assert.deepEqual(diagnostics, []);
  const r = scanObjects(objs, { controls: vp001, waivers }).controls[0]!;
  assert.deepEqual([r.passed, r.failed, r.accepted, r.score], [2, 1, 1, 66.67]);
  const acc = r.resources.find((x) => x.status === 'accepted')!;
  assert.deepEqual([acc.name, acc.waiver?.reason], ['agent', 'needs host access']);
  // all failures waived: the control is accepted and its score is over passed resources only
  const all = scanObjects([pod('agent', 'monitoring', true)], { controls: vp001, waivers })
    .controls[0]!;
  assert.deepEqual([all.status, all.score], ['accepted', null]);
});

test('expired waivers no longer apply and warn', () => {
  const { waivers } = parseWaivers(
    'waivers:\n- {control: VP-001, reason: old, expires: 2020-01-01}\n',
    'w.yaml',
  );
  const r = scanObjects([pod('a', 'x', true)], {
    controls: vp001,
    waivers,
    now: new Date('2026-01-01'),
  });
  assert.equal(r.controls[0]!.failed, 1);
  assert.deepEqual(
    r.diagnostics.map((d) => d.code),
    ['WAIVER_EXPIRED'],
  );
});

test('bad waiver files give coded diagnostics', () => {
  assert.equal(parseWaivers('nope: 1', 'w').diagnostics[0]!.code, 'WAIVER_PARSE');
  assert.equal(
    parseWaivers('waivers: [{control: VP-001}]', 'w').diagnostics[0]!.code,
    'WAIVER_INVALID',
  );
  assert.equal(
    parseWaivers('waivers: [{control: VP-001, reason: r, expires: soon}]', 'w').waivers.length,
    1,
  );
});

test('framework score is the mean of judged control scores, weighted variant by severity', () => {
  const fake = (sev: 'critical' | 'low') => ({
    ...controls[0]!,
    severity: sev,
    mappings: { nsa: ['x'] },
  });
  const f = frameworkScore(
    frameworks.find((x) => x.id === 'nsa-cisa')!,
    [
      { control: fake('critical'), score: 100, status: 'passed' },
      { control: fake('low'), score: 0, status: 'failed' },
      { control: fake('low'), score: null, status: 'not-applicable' },
    ],
  );
  assert.deepEqual(
    [f.score, f.weightedScore, f.controls, f.passed, f.failed, f.notApplicable],
    [50, 90.91, 3, 1, 1, 1],
  );
  assert.equal(controlScore(0, 0), null);
});

test('controlled pods are not double counted; Lists and templates are scanned', () => {
  const owned = {
    ...pod('web-1', 'shop', true),
    metadata: {
      name: 'web-1',
      namespace: 'shop',
      ownerReferences: [{ kind: 'ReplicaSet', name: 'web', controller: true }],
    },
  };
  const r = scanObjects([owned], { controls: vp001 }).controls[0]!;
  assert.equal(r.status, 'not-applicable');
});

test('excluded namespaces are left out entirely (not passed, not failed)', () => {
  const r = scanObjects(
    [
      pod('a', 'kube-system', true),
      pod('b', 'shop', true),
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } },
    ],
    { excludeNamespaces: ['kube-*'] },
  );
  const vp1 = r.controls.find((c) => c.id === 'VP-001')!;
  assert.deepEqual(
    vp1.resources.map((x) => x.name),
    ['b'],
  );
  assert.equal(vp1.passed + vp1.failed, 1);
  assert.ok(
    !r.controls.find((c) => c.id === 'VC-015')!.resources.some((x) => x.name === 'kube-system'),
  );
});
