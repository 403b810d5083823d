import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSandbox, podFromLabels, podLabelsFromSandbox } from './pod.ts';
import { specFacts } from './spec.ts';

test('CRI labels map to the pod; containers without them belong to no pod', () => {
  const p = podFromLabels({
    'io.kubernetes.pod.name': 'web-1', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.uid': 'u-1', 'io.kubernetes.container.name': 'app',
  }, { 'io.kubernetes.cri.sandbox-id': 'f'.repeat(64) });
  assert.deepEqual(p, { name: 'web-1', namespace: 'shop', uid: 'u-1', containerName: 'app', sandboxId: 'f'.repeat(64), labels: {} });
  assert.equal(podFromLabels({ app: 'x' }), undefined);
  assert.equal(podFromLabels({ 'io.kubernetes.pod.name': 'only-name' }), undefined, 'a pod needs its namespace too');
});

test('annotations stand in for missing labels', () => {
  const p = podFromLabels({}, { 'io.kubernetes.cri.sandbox-name': 'db-0', 'io.kubernetes.cri.sandbox-namespace': 'data', 'io.kubernetes.cri.sandbox-uid': 'u-2' });
  assert.equal(p?.name, 'db-0');
  assert.equal(p?.namespace, 'data');
  assert.equal(p?.uid, 'u-2');
});

test('pod labels are the sandbox labels without the CRI bookkeeping', () => {
  assert.deepEqual(podLabelsFromSandbox({
    app: 'web', tier: 'front', 'io.kubernetes.pod.name': 'web-1', 'io.cri-containerd.kind': 'sandbox', 'io.containerd.image.config.stop-signal': 'SIGTERM', 'pod-template-hash': 'abc',
  }), { app: 'web', tier: 'front', 'pod-template-hash': 'abc' });
  assert.equal(isSandbox({ 'io.cri-containerd.kind': 'sandbox' }), true);
  assert.equal(isSandbox({ 'io.cri-containerd.kind': 'container' }), false);
  assert.equal(isSandbox({}, { 'io.kubernetes.cri.container-type': 'sandbox' }), true);
});

test('OCI spec facts: mounts, host namespaces, privileged; bad specs give empty facts', () => {
  const spec = {
    annotations: { a: 'b', n: 1 },
    mounts: [{ destination: '/data', source: '/srv/data', type: 'bind', options: ['rbind', 'ro', 'rprivate'] }],
    process: { capabilities: { effective: ['CAP_CHOWN', 'CAP_SYS_ADMIN'] } },
    linux: { namespaces: [{ type: 'mount' }, { type: 'pid' }], maskedPaths: [] },
  };
  const f = specFacts(Buffer.from(JSON.stringify(spec)));
  assert.deepEqual(f.annotations, { a: 'b' });
  assert.deepEqual(f.mounts, [{ source: '/srv/data', dest: '/data', mode: 'rbind', rw: false, propagation: 'rprivate' }]);
  assert.equal(f.hostPid, false);
  assert.equal(f.hostNetwork, true);
  assert.equal(f.hostIpc, true);
  assert.equal(f.privileged, true);
  const confined = specFacts(Buffer.from(JSON.stringify({ ...spec, linux: { namespaces: [{ type: 'network' }, { type: 'pid' }, { type: 'ipc' }], maskedPaths: ['/proc/kcore'] } })));
  assert.equal(confined.privileged, false);
  assert.equal(confined.hostNetwork, false);
  for (const bad of [Buffer.from('{not json'), Buffer.from('null'), Buffer.alloc(0), undefined]) {
    assert.deepEqual(specFacts(bad).mounts, []);
  }
});
