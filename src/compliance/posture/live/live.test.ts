// Posture over a live cluster: the k8s room lists a recorded API (src/k8s/api has the listing's
// own tests); here the listed objects are scanned like manifest files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { K8S_API_ERRORS } from '../../../k8s/index.ts';
import { kubeConfigFor, serveRecordedApi } from '../../../../test/support/recorded-k8s-api.ts';
import { scanObjects } from '../index.ts';
import { scanLiveCluster } from './index.ts';

const recorded = JSON.parse(
  readFileSync(new URL('./fixtures/api.json', import.meta.url), 'utf8'),
) as Record<string, { kind: string }>;

/** The recorded answers; ConfigMaps are forbidden (a warning, not a failure), anything else an empty list. */
const fakeApiServer = () => serveRecordedApi(recorded, ['/api/v1/configmaps']);

test('live scan lists every kind through the API; forbidden kinds warn, the rest are scanned', async () => {
  const { server, url, seen } = await fakeApiServer();
  try {
    const { objects, diagnostics } = await scanLiveCluster({ kubeConfig: kubeConfigFor(url) });
    assert.ok(
      seen.includes('/api/v1/pods') &&
        seen.includes('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings'),
    );
    assert.ok(!seen.some((p) => p.includes('secrets')), 'secrets must never be read');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.item]),
      [[K8S_API_ERRORS.listFailed, 'ConfigMap']],
    );
    const kinds = objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort();
    assert.ok(
      kinds.includes('Pod/debug') &&
        kinds.includes('Deployment/web') &&
        kinds.includes('Namespace/shop'),
    );
    const report = scanObjects(objects);
    const byId = new Map(report.controls.map((c) => [c.id, c]));
    // the privileged Deployment counts once: its ReplicaSet and Pod are controller-owned
    assert.deepEqual(
      byId.get('VP-001')!.resources.map((r) => `${r.kind}/${r.name}`),
      ['Deployment/web'],
    );
    assert.deepEqual(
      byId.get('VP-010')!.resources.map((r) => `${r.kind}/${r.name}`),
      ['Pod/debug'],
    );
    // the built-in cluster-admin binding is not a finding; the CI one is
    assert.deepEqual(
      byId.get('VC-002')!.resources.map((r) => r.name),
      ['ci-admin'],
    );
    assert.equal(
      byId
        .get('VC-020')!
        .resources.map((r) => r.name)
        .join(),
      'default',
    );
  } finally {
    server.close();
  }
});
