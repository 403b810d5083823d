// A small HTTP server answering Kubernetes list calls from recorded API JSON, for tests: no API
// server can run on the test machines, so the real client (@kubernetes/client-node) talks to this.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as k8s from '@kubernetes/client-node';

export interface RecordedApi { server: Server; url: string; seen: string[] }

/**
 * Serves `answers` by request path (query ignored); `forbidden` paths answer 403 with a Status the
 * way the API server refuses RBAC; any other path gets an empty List. `seen` records every path asked.
 */
export async function serveRecordedApi(answers: Record<string, unknown>, forbidden: string[] = []): Promise<RecordedApi> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    seen.push(path);
    res.setHeader('content-type', 'application/json');
    if (forbidden.includes(path)) {
      const resource = path.split('/').pop();
      res.statusCode = 403;
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `${resource} is forbidden`, reason: 'Forbidden', code: 403 }));
      return;
    }
    res.end(JSON.stringify(answers[path] ?? { kind: 'List', apiVersion: 'v1', metadata: {}, items: [] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** A kubeconfig whose only context points at `url` with a bearer token, as a test cluster. */
export function kubeConfigFor(url: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'rec', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'recorded' }],
    contexts: [{ name: 'rec', cluster: 'rec', user: 'u' }],
    currentContext: 'rec',
  });
  return kc;
}
