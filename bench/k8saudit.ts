/**
 * Audit webhook throughput: events/s posted to `vigil k8saudit serve`'s webhook (token auth,
 * full decode, the official k8s_audit_rules.yaml evaluated on every event) against the same
 * HTTP load on an endpoint that only reads and JSON-parses the body, in one run.
 * Prints both rates and their ratio (goal >= 0.5x).
 * Usage: npx tsx bench/k8saudit.ts [seconds-per-round] [batch-size] [connections]
 * Needs the conformance data (the rules file and recorded audit events) at ../shared/conformance
 * or $VIGIL_CONFORMANCE_DIR.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { conformancePath } from '../src/core/index.ts';
import { AuditDetector, loadAuditRules } from '../src/engine/index.ts';
import { decodeText, fieldTables, startWebhook } from '../src/sources/index.ts';

const seconds = Number(process.argv[2] ?? 3);
const batch = Number(process.argv[3] ?? 100);
const conns = Number(process.argv[4] ?? 8);

const k8sDir = conformancePath('falco', 'k8saudit');
const rulesFile = conformancePath('falco', 'rules', 'k8s_audit_rules.yaml');
if (!k8sDir || !rulesFile) {
  console.log('# SKIP conformance data not found: the bench needs falco/k8saudit and falco/rules');
  process.exit(0);
}

// Real recorded events (pods, secrets, bindings, configmaps...), cycled into EventList bodies.
const lines = readdirSync(k8sDir).filter((f) => f.endsWith('.json') && !f.startsWith('expected'))
  .flatMap((f) => readFileSync(join(k8sDir, f), 'utf8').split('\n'))
  .filter((l) => l.trim() !== '' && decodeText(l).ok); // fal_01_003.json is a deliberately bad input

/** Routine control-plane traffic as a k3s API server logs it: leases, watches, status updates. */
function routine(i: number): string {
  const users = ['system:node:k3s-server', 'system:kube-controller-manager', 'system:kube-scheduler', 'system:serviceaccount:kube-system:coredns', 'system:serviceaccount:kube-system:local-path-provisioner-service-account', 'system:k3s-controller'];
  const verbs = ['get', 'list', 'watch', 'update', 'patch'];
  const res = ['leases', 'pods', 'endpoints', 'configmaps', 'nodes', 'events', 'endpointslices'];
  const r = res[i % res.length]!;
  const ns = i % 3 === 0 ? 'kube-system' : 'default';
  return JSON.stringify({
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    stage: 'ResponseComplete', requestURI: `/api/v1/namespaces/${ns}/${r}/obj-${i % 97}`, verb: verbs[i % verbs.length],
    user: { username: users[i % users.length], groups: ['system:authenticated'] }, sourceIPs: ['10.42.0.1'], userAgent: 'k3s/v1.30.4+k3s1 (linux/amd64) kubernetes/abc',
    objectRef: { resource: r, namespace: ns, name: `obj-${i % 97}`, apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 200 },
    requestReceivedTimestamp: '2024-05-01T10:00:00.000000Z', stageTimestamp: '2024-05-01T10:00:00.001234Z',
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed by ClusterRoleBinding' },
  });
}

/** EventList bodies: `recordedShare` of the items are the recorded events, the rest routine traffic. */
function makeBodies(recordedShare: number): string[] {
  const out: string[] = [];
  let k = 0;
  for (let b = 0; b < 16; b++) {
    const items = Array.from({ length: batch }, (_, i) => {
      const n = b * batch + i;
      return (n % 100) < recordedShare * 100 ? lines[k++ % lines.length] : routine(n);
    });
    out.push(`{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[${items.join(',')}]}`);
  }
  return out;
}
let bodies: string[] = [];

async function load(url: string, headers: Record<string, string>): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: conns });
  const end = Date.now() + seconds * 1000;
  let events = 0;
  let n = 0;
  const worker = async () => {
    while (Date.now() < end) {
      const body = bodies[n++ % bodies.length]!;
      await new Promise<void>((resolve, reject) => {
        const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end(body);
      });
      events += batch;
    }
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: conns }, worker));
  const dt = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  return events / dt;
}

// Reference: read the body, JSON.parse it, answer 200.
const parseOnly = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { items?: unknown[] };
    const text = JSON.stringify({ accepted: v.items?.length ?? 0 });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  });
});
await new Promise<void>((r) => parseOnly.listen(0, '127.0.0.1', r));
const parseUrl = `http://127.0.0.1:${(parseOnly.address() as AddressInfo).port}/k8s-audit`;

const rules = loadAuditRules([rulesFile], { fieldTables: fieldTables() });
if (!rules.ok) throw new Error(rules.errors.map((e) => e.message).join('\n'));
let alerts = 0;
const detector = new AuditDetector(rules.ruleset, () => alerts++, { hostname: 'bench' });
const hook = await startWebhook('127.0.0.1', 0, { tokens: ['bench-token'], onEvents: (evs) => { for (const e of evs) detector.evaluate(e); } });

const auth = { authorization: 'Bearer bench-token' };
const best = (xs: number[]) => Math.max(...xs);
console.log(`# ${rules.auditRules} k8s_audit rules, batches of ${batch} events, ${conns} connections, ${seconds}s rounds, ${lines.length} distinct recorded events`);
for (const [label, share] of [['routine traffic with 10% recorded attack events', 0.1], ['recorded attack events only (most raise alerts)', 1]] as const) {
  bodies = makeBodies(share);
  const e0 = detector.counters.events;
  const a0 = alerts;
  await load(hook.url, auth); // warm-up (JIT, rule closures)
  await load(parseUrl, {});
  const ref: number[] = [];
  const vig: number[] = [];
  for (let round = 0; round < 2; round++) {
    ref.push(await load(parseUrl, {}));
    vig.push(await load(hook.url, auth));
  }
  const ev = detector.counters.events - e0;
  console.log(`## ${label}`);
  console.log(`parse-only endpoint: ${best(ref).toFixed(0)} events/s`);
  console.log(`vigil webhook + rules: ${best(vig).toFixed(0)} events/s (${ev} events evaluated, ${(((alerts - a0) / ev) * 100).toFixed(0)}% alerting)`);
  console.log(`ratio: ${(best(vig) / best(ref)).toFixed(2)}x (goal >= 0.5x)`);
}
await hook.close();
parseOnly.close();
parseOnly.closeAllConnections();
