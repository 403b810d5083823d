import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { K8S_API_ERRORS, listClusterObjects } from './cluster.ts';
import { kubeConfigFor, serveRecordedApi } from '../../../test/support/recorded-k8s-api.ts';

const list = (items: unknown[]) => ({ kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });

/** Recorded list answers by path; ConfigMaps are forbidden, anything else is an empty list. */
const ANSWERS: Record<string, unknown> = {
  '/api/v1/namespaces': list([{ metadata: { name: 'shop', uid: '1', creationTimestamp: '2026-01-01T00:00:00Z', labels: { team: 'a' } } }]),
  '/api/v1/pods': list([
    {
      metadata: { name: 'debug', namespace: 'shop', uid: '2', creationTimestamp: '2026-01-02T03:04:05Z' },
      spec: { containers: [{ name: 'c', image: 'busybox:1', securityContext: { privileged: true } }] },
    },
  ]),
  '/apis/apps/v1/deployments': list([{ metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 2 } }]),
  '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings': list([
    { metadata: { name: 'ci-admin' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [] },
  ]),
};

/** The recorded answers; ConfigMaps are forbidden (a warning, not a failure), anything else an empty list. */
const fakeApiServer = () => serveRecordedApi(ANSWERS, ['/api/v1/configmaps']);

test('every kind is listed across namespaces as plain JSON with kind and apiVersion; secrets never', async () => {
  const { server, url, seen } = await fakeApiServer();
  try {
    const { objects, diagnostics } = await listClusterObjects({ kubeConfig: kubeConfigFor(url) });
    assert.equal(new Set(seen).size, 17, 'one list call per kind');
    assert.ok(!seen.some((p) => p.includes('secrets')), 'secrets must never be read');
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity, d.item]), [[K8S_API_ERRORS.listFailed, 'warning', 'ConfigMap']]);
    assert.deepEqual(objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`).sort(), [
      'apps/v1 Deployment shop/web',
      'rbac.authorization.k8s.io/v1 ClusterRoleBinding /ci-admin',
      'v1 Namespace /shop',
      'v1 Pod shop/debug',
    ]);
    const pod = objects.find((o) => o.kind === 'Pod')!;
    // the client turns timestamps into Dates; callers get the manifest's string form back
    assert.equal(pod.metadata?.creationTimestamp, '2026-01-02T03:04:05.000Z');
    assert.deepEqual(pod.spec, { containers: [{ name: 'c', image: 'busybox:1', securityContext: { privileged: true } }] });
    assert.ok(Object.getPrototypeOf(pod) === Object.prototype);
  } finally {
    server.close();
  }
});

test('kinds restricts the calls; an unknown kind is an error naming it', async () => {
  const { server, url, seen } = await fakeApiServer();
  try {
    const { objects, diagnostics } = await listClusterObjects({ kubeConfig: kubeConfigFor(url), kinds: ['Pod', 'Deployment', 'Secret'] });
    assert.deepEqual([...new Set(seen)].sort(), ['/api/v1/pods', '/apis/apps/v1/deployments']);
    assert.deepEqual(objects.map((o) => o.kind).sort(), ['Deployment', 'Pod']);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.item]), [[K8S_API_ERRORS.unknownKind, 'Secret']]);
  } finally {
    server.close();
  }
});

test('unreachable cluster: every kind warns, nothing throws', async () => {
  const { server, url } = await fakeApiServer();
  await new Promise((r) => server.close(r));
  const { objects, diagnostics } = await listClusterObjects({ kubeConfig: kubeConfigFor(url) });
  assert.equal(objects.length, 0);
  assert.equal(diagnostics.length, 17);
  assert.ok(diagnostics.every((d) => d.code === K8S_API_ERRORS.listFailed && d.severity === 'warning'));
});

test('kubeconfig problems: a missing file and a config without a current cluster', async () => {
  const missing = await listClusterObjects({ kubeconfig: '/nonexistent/kubeconfig' });
  assert.deepEqual(missing.diagnostics.map((d) => [d.code, d.file]), [[K8S_API_ERRORS.kubeconfig, '/nonexistent/kubeconfig']]);
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-kc-')), 'config');
  writeFileSync(file, 'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n');
  const empty = await listClusterObjects({ kubeconfig: file });
  assert.equal(empty.objects.length, 0);
  assert.deepEqual(empty.diagnostics.map((d) => [d.code, d.message]), [[K8S_API_ERRORS.kubeconfig, 'no current cluster in kubeconfig']]);
});
