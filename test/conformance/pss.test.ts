// Pod Security Admission's fixture suite: every pod's verdict matches its folder at its level
// and version, and a denied pod is denied by the check its file name names (or by the
// restricted check that overrides that baseline check at that version).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { needConformance } from './helpers.ts';
import {
  checkManifestText,
  parseLevel,
  parseVersion,
  pssChecks,
} from '../../src/compliance/index.ts';

interface Entry {
  path: string;
  level: string;
  version: string;
  expect: 'allow' | 'deny';
  check: string | null;
  expectErrorSubstring: string | null;
}

const { path: root, skip } = needConformance('pss', 'INDEX.derived.json');

/** The ids that may report a violation named after `check` at version `v` (the check or its overrider). */
function acceptableIds(check: string, v: number): Set<string> {
  const ids = new Set([check]);
  for (const c of pssChecks) {
    let pick;
    for (const vc of c.versions) if (vc.minVersion <= v) pick = vc;
    if (pick?.overrides?.includes(check)) ids.add(c.id);
  }
  return ids;
}

test('PSA fixtures: verdict and failing check per level/version', { skip }, () => {
  const index = JSON.parse(readFileSync(root, 'utf8')) as Entry[];
  const base = join(root, '..');
  let passed = 0;
  const failures: string[] = [];
  for (const e of index) {
    const text = readFileSync(join(base, e.path), 'utf8');
    const v = parseVersion(e.version);
    const { results, diagnostics } = checkManifestText(text, e.path, parseLevel(e.level), v);
    const r = results[0];
    let problem = '';
    if (results.length !== 1 || diagnostics.length)
      problem = `expected one object, got ${results.length} (${diagnostics.map((d) => d.code).join(',')})`;
    else if (e.expect === 'allow' && !r!.allowed)
      problem = `denied: ${JSON.stringify(r!.violations)}`;
    else if (e.expect === 'deny') {
      if (r!.allowed) problem = 'allowed';
      else if (e.check) {
        const ok = acceptableIds(e.check, v);
        const hit = r!.violations.find((x) => ok.has(x.check));
        if (!hit)
          problem = `wrong check: ${r!.violations.map((x) => x.check).join(',')} (wanted ${e.check})`;
        else if (e.expectErrorSubstring && !hit.message.includes(e.expectErrorSubstring))
          problem = `message '${hit.message}' lacks '${e.expectErrorSubstring}'`;
      }
    }
    if (problem) failures.push(`${e.path}: ${problem}`);
    else passed++;
  }
  console.log(`# PSS conformance ${passed}/${index.length}`);
  assert.deepEqual(
    failures.slice(0, 8).map((f) => f.slice(0, 300)),
    [],
  );
  assert.equal(passed, index.length);
});

/** Runs the CLI in-process, capturing stdout and stderr. */
/** Runs the real executable in a child process (async, so this process's fake API server keeps answering). */
async function cliProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { execFile } = await import('node:child_process');
  const { projectPath } = await import('../../src/core/index.ts');
  return new Promise((resolve) => {
    execFile(process.execPath, [projectPath('bin', 'vigil.mjs'), ...args], { maxBuffer: 64 << 20 }, (e, out, err) => {
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out, err });
    });
  });
}

// Always a child process: node --test's child reports to the runner over this process's stdout, so
// swapping process.stdout.write in-process can capture the runner's own (binary) messages.
const cli = cliProcess;

test('command line: vigil pss check -o json over a multi-document file with a bad document', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-pss-'));
  const f = join(dir, 'w.yaml');
  writeFileSync(
    f,
    'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: mon}\nspec:\n  template:\n    spec:\n      hostPID: true\n      containers: [{name: a, image: x}]\n---\nkind: [oops\n',
  );
  const r = await cli([
    'pss',
    'check',
    '--level',
    'baseline',
    '--version',
    'v1.25',
    '-o',
    'json',
    f,
  ]);
  assert.equal(r.code, 1);
  const doc = JSON.parse(r.out);
  assert.equal(doc.version, 'v1.25');
  assert.deepEqual(
    doc.results.map((x: { kind: string; namespace: string; name: string; allowed: boolean }) => [
      x.kind,
      x.namespace,
      x.name,
      x.allowed,
    ]),
    [['DaemonSet', 'mon', 'agent', false]],
  );
  assert.deepEqual(
    doc.results[0].violations.map((v: { check: string }) => v.check),
    ['hostNamespaces'],
  );
  assert.deepEqual(
    doc.diagnostics.map((d: { code: string }) => d.code),
    ['COMPLIANCE_YAML_PARSE'],
  );
  const bad = await cli(['pss', 'check', '--level', 'strict', f]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /PSS_BAD_LEVEL/);
});

test('command line: vigil posture scan with waivers, json and sarif', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-posture-'));
  const f = join(dir, 'w.yaml');
  const w = join(dir, 'waivers.yaml');
  writeFileSync(
    f,
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec: {containers: [{name: a, image: "x:1", securityContext: {privileged: true}}]}\n',
  );
  writeFileSync(
    w,
    'waivers:\n- {control: VP-001, namespace: shop, reason: vendor appliance, expires: 2099-12-31}\n',
  );
  const r = await cli(['posture', 'scan', '-o', 'json', '--waivers', w, f]);
  assert.equal(r.code, 0);
  const doc = JSON.parse(r.out);
  const vp1 = doc.controls.find((c: { id: string }) => c.id === 'VP-001');
  assert.deepEqual(
    [vp1.status, vp1.accepted, vp1.resources[0].waiver.reason],
    ['accepted', 1, 'vendor appliance'],
  );
  assert.ok(doc.frameworks.some((x: { id: string }) => x.id === 'nsa-cisa'));
  const s = await cli(['posture', 'scan', '-o', 'sarif', '--fail-below', '99', f]);
  assert.equal(s.code, 1);
  const sarif = JSON.parse(s.out);
  assert.equal(sarif.version, '2.1.0');
  assert.ok(
    sarif.runs[0].results.some(
      (x: {
        ruleId: string;
        locations: { physicalLocation?: { artifactLocation: { uri: string } } }[];
      }) => x.ruleId === 'VP-003' && x.locations[0]?.physicalLocation?.artifactLocation.uri === f,
    ),
  );
});

test('command line: vigil pss check --live judges controllers, not the pods they own', async () => {
  const { createServer } = await import('node:http');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const tpl = {
    metadata: { labels: { app: 'w' } },
    spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x:1' }] },
  };
  const lists: Record<string, unknown[]> = {
    '/apis/apps/v1/deployments': [
      {
        metadata: { name: 'w', namespace: 'shop' },
        spec: { selector: { matchLabels: { app: 'w' } }, template: tpl },
      },
    ],
    '/api/v1/pods': [
      {
        metadata: {
          name: 'w-1',
          namespace: 'shop',
          ownerReferences: [
            { kind: 'ReplicaSet', name: 'w-1', uid: 'u', apiVersion: 'apps/v1', controller: true },
          ],
        },
        spec: tpl.spec,
      },
    ],
  };
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        kind: 'List',
        apiVersion: 'v1',
        metadata: {},
        items: lists[(req.url ?? '').split('?')[0]!] ?? [],
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as { port: number }).port;
    const kc = join(mkdtempSync(join(tmpdir(), 'vigil-kc-')), 'config');
    writeFileSync(
      kc,
      `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n`,
    );
    // a child process: stdout captured in-process was seen mixed with other writes under load
    const r = await cliProcess(['pss', 'check', '--level', 'baseline', '--live', '--kubeconfig', kc, '-o', 'json']);
    const doc = JSON.parse(r.out);
    assert.deepEqual(
      doc.results.map((x: { kind: string; name: string; allowed: boolean }) => [
        x.kind,
        x.name,
        x.allowed,
      ]),
      [['Deployment', 'w', false]],
    );
    assert.equal(r.code, 1);
  } finally {
    server.close();
  }
});
