// Posture over a live cluster: the k8s room lists a recorded API (src/k8s/api has the listing's
// own tests); here the listed objects are scanned like manifest files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as k8s from '@kubernetes/client-node';
import { K8S_API_ERRORS } from '../../../k8s/index.ts';
import { scanObjects } from '../index.ts';
import { scanLiveCluster } from './index.ts';

const recorded = JSON.parse(
  readFileSync(new URL('./fixtures/api.json', import.meta.url), 'utf8'),
) as Record<string, { kind: string }>;

/** Serves recorded API responses; unknown list paths get an empty list, ConfigMaps a 403. */
async function fakeApiServer(): Promise<{ server: Server; url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    seen.push(path);
    res.setHeader('content-type', 'application/json');
    if (path === '/api/v1/configmaps') {
      res.statusCode = 403;
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message: 'configmaps is forbidden',
          reason: 'Forbidden',
          code: 403,
        }),
      );
      return;
    }
    const body = recorded[path] ?? { kind: 'List', apiVersion: 'v1', metadata: {}, items: [] };
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function kubeConfigFor(url: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'rec', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'recorded' }],
    contexts: [{ name: 'rec', cluster: 'rec', user: 'u' }],
    currentContext: 'rec',
  });
  return kc;
}

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
