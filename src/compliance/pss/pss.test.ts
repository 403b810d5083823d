import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkManifestText,
  checksFor,
  evaluatePod,
  latestMinor,
  parseLevel,
  parseVersion,
} from './index.ts';
import { VigilError } from '../../core/index.ts';

const restrictedPod = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'c',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    },
  ],
};

test('versions: v1.N, latest, newer than known, and bad strings', () => {
  assert.equal(parseVersion('v1.25'), 25);
  assert.equal(parseVersion('latest'), latestMinor);
  assert.equal(parseVersion('v1.99'), latestMinor);
  assert.throws(
    () => parseVersion('2.0'),
    (e: unknown) => e instanceof VigilError && e.code === 'PSS_BAD_VERSION',
  );
  assert.throws(
    () => parseLevel('strict'),
    (e: unknown) => e instanceof VigilError && e.code === 'PSS_BAD_LEVEL',
  );
});

test('overrides: restricted twins replace baseline checks only from their version', () => {
  const ids = (v: number) => checksFor('restricted', v).map((c) => c.id);
  assert.ok(ids(18).includes('seccompProfile_baseline'));
  assert.ok(!ids(19).includes('seccompProfile_baseline'));
  assert.ok(
    ids(21).includes('capabilities_baseline') && !ids(21).includes('capabilities_restricted'),
  );
  assert.ok(!ids(37).includes('hostPathVolumes'));
  assert.deepEqual(checksFor('privileged', 37), []);
});

test('restricted pod passes, mutations fail with Kubernetes check ids', () => {
  assert.deepEqual(evaluatePod({}, restrictedPod, 'restricted'), []);
  const bad = structuredClone(restrictedPod) as typeof restrictedPod & { hostPID?: boolean };
  bad.hostPID = true;
  (bad.containers[0]!.securityContext as Record<string, unknown>).runAsUser = 0;
  const v = evaluatePod({}, bad, 'restricted', 37);
  assert.deepEqual(
    v.map((x) => x.check),
    ['hostNamespaces', 'runAsUser'],
  );
  assert.match(v[0]!.message, /^host namespaces \(hostPID=true\)$/);
  // runAsUser did not exist before v1.23
  assert.deepEqual(
    evaluatePod({}, bad, 'restricted', 22).map((x) => x.check),
    ['hostNamespaces'],
  );
});

test('workload kinds are checked through their pod template; other kinds warn', () => {
  const text = `
apiVersion: batch/v1
kind: CronJob
metadata: {name: cj, namespace: jobs}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: c, securityContext: {privileged: true}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec: {template: {spec: {containers: [{name: c}]}}}
---
apiVersion: v1
kind: Service
metadata: {name: s}
---
kind: Pod
metadata: {name: broken
`;
  const r = checkManifestText(text, 'w.yaml', 'baseline', 37);
  assert.deepEqual(
    r.results.map((x) => [x.kind, x.namespace, x.name, x.allowed]),
    [
      ['CronJob', 'jobs', 'cj', false],
      ['Deployment', '', 'd', true],
    ],
  );
  assert.equal(r.results[0]!.violations[0]!.check, 'privileged');
  assert.deepEqual(r.diagnostics.map((d) => d.code).sort(), [
    'COMPLIANCE_YAML_PARSE',
    'PSS_KIND_NOT_CHECKED',
  ]);
});

test('garbage shapes never throw', () => {
  const r = checkManifestText(
    'kind: Pod\nspec: {containers: 5, volumes: [null, 3, {name: x, nfs: {}}], securityContext: [1]}',
    'g.yaml',
    'restricted',
    37,
  );
  assert.equal(r.results[0]!.allowed, false);
  assert.deepEqual(
    r.results[0]!.violations.map((x) => x.check),
    ['restrictedVolumes'],
  );
});

test('unknown built-in kinds are errors; custom resources are only not checked', () => {
  const text =
    'apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: typo}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\n';
  const r = checkManifestText(text, 'k.yaml', 'baseline', 37);
  assert.deepEqual(
    r.results.map((x) => x.name),
    ['p'],
  );
  assert.deepEqual(
    r.diagnostics.map((d) => [d.code, d.severity, d.item]),
    [
      ['COMPLIANCE_UNKNOWN_KIND', 'error', 'typo'],
      ['PSS_KIND_NOT_CHECKED', 'warning', 'w'],
      ['PSS_KIND_NOT_CHECKED', 'warning', 'r'],
    ],
  );
});
