/**
 * Compliance throughput: Pod Security Standards (restricted, latest) plus every posture
 * control over 10,000 generated objects, against parsing the same YAML alone, in one run.
 * Prints objects/s for both and their ratio (goal >= 0.5x).
 * Usage: npx tsx bench/compliance.ts [objects]
 */
import { parseAllDocuments, stringify } from 'yaml';
import { checkObjects, controls, loadManifests, scanObjects } from '../src/compliance/index.ts';

const n = Number(process.argv[2] ?? 10_000);

/** A deterministic mix of kinds with varied security settings. */
function generate(count: number): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    const ns = `team-${i % 25}`;
    const container = {
      name: `app-${i}`,
      image: i % 7 === 0 ? 'nginx:latest' : `registry.example.com/app/${i % 50}:1.${i % 9}.0`,
      ports: [{ containerPort: 8080, ...(i % 31 === 0 ? { hostPort: 8080 } : {}) }],
      env:
        i % 13 === 0
          ? [{ name: 'DB_PASSWORD', value: `pw${i}` }]
          : [{ name: 'LOG_LEVEL', value: 'info' }],
      resources:
        i % 5 === 0
          ? {}
          : { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '256Mi' } },
      securityContext:
        i % 3 === 0
          ? { privileged: i % 11 === 0, allowPrivilegeEscalation: true }
          : {
              allowPrivilegeEscalation: false,
              runAsNonRoot: true,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
              seccompProfile: { type: 'RuntimeDefault' },
            },
      livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
    };
    const spec = {
      serviceAccountName: i % 4 === 0 ? 'default' : `sa-${i % 10}`,
      hostNetwork: i % 17 === 0,
      containers: [container],
      volumes: i % 19 === 0 ? [{ name: 'h', hostPath: { path: '/var/log' } }] : [],
    };
    const kind = i % 10;
    let obj: object;
    if (kind < 5)
      obj = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `web-${i}`, namespace: ns },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: `web-${i}` } },
          template: { metadata: { labels: { app: `web-${i}` } }, spec },
        },
      };
    else if (kind === 5)
      obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${i}`, namespace: ns }, spec };
    else if (kind === 6)
      obj = {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: `job-${i}`, namespace: ns },
        spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec } } } },
      };
    else if (kind === 7)
      obj = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `svc-${i}`, namespace: ns },
        spec: { type: i % 2 ? 'ClusterIP' : 'NodePort', ports: [{ port: 80 }] },
      };
    else if (kind === 8)
      obj = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: `role-${i}`, namespace: ns },
        rules: [
          {
            apiGroups: [''],
            resources: i % 3 ? ['pods'] : ['secrets'],
            verbs: i % 4 ? ['get', 'list'] : ['*'],
          },
        ],
      };
    else
      obj = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cfg-${i}`, namespace: ns },
        data: { LOG_LEVEL: 'debug', ...(i % 20 === 9 ? { API_TOKEN: `t${i}abcdef` } : {}) },
      };
    docs.push(stringify(obj));
  }
  return docs.join('---\n');
}

function time(fn: () => void, rounds = 3): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return best;
}

const text = generate(n);
let parsed = 0;
// the reference is the fastest plain parse of the same text: the loader's own per-document
// parse (without any check), and the yaml package's parseAllDocuments for comparison
const parseOnly = time(() => {
  parsed = loadManifests(text, 'bench.yaml').objects.length;
});
let streamParsed = 0;
const streamParse = time(() => {
  streamParsed = 0;
  for (const d of parseAllDocuments(text)) if (d.toJS()) streamParsed++;
});
let verdicts = 0;
let failed = 0;
const full = time(() => {
  const loaded = loadManifests(text, 'bench.yaml');
  const pss = checkObjects(loaded.objects, 'restricted', 37);
  const posture = scanObjects(loaded.objects.map((m) => m.obj));
  verdicts = pss.results.length;
  failed = posture.controls.reduce((a, c) => a + c.failed, 0);
});
const parseRate = parsed / parseOnly;
const fullRate = parsed / full;
console.log(
  `objects: ${parsed} (${(text.length / 1e6).toFixed(1)} MB YAML), ${controls.length} posture controls, ${verdicts} PSS verdicts, ${failed} posture failures`,
);
console.log(
  `YAML parse alone:            ${parseRate.toFixed(0)} objects/s (yaml parseAllDocuments: ${(streamParsed / streamParse).toFixed(0)} objects/s)`,
);
console.log(`parse + PSS + all controls:  ${fullRate.toFixed(0)} objects/s`);
console.log(`ratio: ${(fullRate / parseRate).toFixed(2)}x (goal >= 0.5x)`);
