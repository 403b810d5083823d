// kube-bench's definition sets (upstream k3s and Rancher's) load and run against a recorded
// k3s node; automated checks match the hand-derived results in the fixture's expected.yaml.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { needConformance } from './helpers.ts';
import {
  FixtureRunner,
  loadBenchmark,
  RecordedNodeView,
  runBenchmark,
  runVigilK3s,
  type CheckResult,
} from '../../src/compliance/index.ts';
import { projectPath } from '../../src/core/index.ts';

const upstream = needConformance('kube-bench', 'cfg');
const rancher = needConformance('kube-bench-rancher', 'package', 'cfg');
const nodeDir = projectPath('test', 'fixtures', 'k3s-node');
const expected = parse(readFileSync(join(nodeDir, 'expected.yaml'), 'utf8')) as Record<
  string,
  Record<string, string>
>;
const runner = new FixtureRunner(nodeDir);
after(() => runner.close());

function sets(dir: string): string[] {
  return readdirSync(dir)
    .filter((d) => statSync(join(dir, d)).isDirectory())
    .map((d) => join(dir, d));
}

const results = new Map<string, Map<string, CheckResult>>();

test(
  'every definition set loads and runs on the recorded k3s node',
  { skip: upstream.skip || rancher.skip },
  async () => {
    const dirs = [...sets(upstream.path), ...sets(rancher.path)];
    assert.equal(dirs.length, 9);
    for (const d of dirs) {
      const b = loadBenchmark(d);
      assert.ok(b.controls.length === 5, `${b.name}: ${b.controls.length} controls files`);
      const { report, diagnostics } = await runBenchmark(b, runner);
      // the only acceptable diagnostics: generic kube-bench component names that k3s does not run
      assert.deepEqual(
        diagnostics.filter((x) => x.code !== 'BENCH_COMPONENT_NOT_RUNNING'),
        [],
        b.name,
      );
      const byId = new Map<string, CheckResult>();
      for (const c of report.Controls)
        for (const g of c.tests) for (const r of g.results) byId.set(r.test_number, r);
      const total =
        report.Totals.total_pass +
        report.Totals.total_fail +
        report.Totals.total_warn +
        report.Totals.total_info;
      assert.equal(total, byId.size, `${b.name}: every check has one state`);
      for (const r of byId.values())
        assert.ok(
          !/unable to parse path|unknown binary operator/.test(r.reason ?? ''),
          `${b.name} ${r.test_number}: ${r.reason}`,
        );
      results.set(b.name, byId);
    }
  },
);

test("JSON output has kube-bench's result shape", { skip: upstream.skip }, async () => {
  const sample = JSON.parse(
    readFileSync(join(upstream.path, '..', 'cmd', 'testdata', 'result.json'), 'utf8'),
  );
  const { report } = await runBenchmark(loadBenchmark(join(upstream.path, 'k3s-cis-1.9')), runner);
  const ours = JSON.parse(JSON.stringify(report));
  const keys = (o: object) => Object.keys(o).sort();
  const extra = (a: object, b: object, allowed: string[]) =>
    keys(a).filter((k) => !keys(b).includes(k) && !allowed.includes(k));
  const missing = (a: object, b: object) => keys(b).filter((k) => !keys(a).includes(k));
  assert.deepEqual(keys(ours), keys(sample));
  assert.deepEqual(keys(ours.Totals), keys(sample.Totals));
  const c = ours.Controls[0];
  const g = c.tests[0];
  const r = g.results.find((x: { status: string }) => x.status === 'PASS');
  const sc = sample.Controls[0];
  assert.deepEqual([missing(c, sc), extra(c, sc, ['detected_version'])], [[], []]);
  assert.deepEqual([missing(g, sc.tests[0]), extra(g, sc.tests[0], ['type'])], [[], []]);
  assert.deepEqual(
    [
      missing(r, sc.tests[0].results[0]),
      extra(r, sc.tests[0].results[0], ['reason', 'AuditEnv', 'not_applicable']),
    ],
    [[], []],
  );
});

test(
  'automated checks match the hand-derived results',
  { skip: upstream.skip || rancher.skip },
  async () => {
    const vigil = await runVigilK3s(new RecordedNodeView(nodeDir));
    const vm = new Map<string, CheckResult>();
    for (const c of vigil.report.Controls)
      for (const g of c.tests) for (const r of g.results) vm.set(r.test_number, r);
    results.set('vigil-k3s-cis', vm);
    let compared = 0;
    const wrong: string[] = [];
    for (const [bench, checks] of Object.entries(expected)) {
      const got = results.get(bench);
      assert.ok(got, `${bench} was run`);
      for (const [id, state] of Object.entries(checks)) {
        const r = got.get(id);
        assert.ok(r, `${bench} ${id} exists`);
        assert.equal(r.type, '', `${bench} ${id} is automated`);
        compared++;
        const got2 = r.not_applicable ? 'NA' : r.status;
        if (got2 !== state)
          wrong.push(
            `${bench} ${id}: ${r.status} (expected ${state}; ${r.reason ?? r.expected_result})`,
          );
      }
    }
    console.log(
      `# benchmarks on the recorded k3s node: ${compared - wrong.length}/${compared} automated checks as derived (kube-bench sets and vigil-k3s-cis)`,
    );
    assert.deepEqual(wrong, []);
    assert.ok(compared >= 60);
  },
);

/** `vigil ARGS` as a child process. Not in-process: node --test's child reports to the runner over
 * this process's stdout, so swapping process.stdout.write here can capture the runner's own messages. */
async function vigil(args: string[]): Promise<{ code: number; out: string }> {
  const { execFile } = await import('node:child_process');
  const { projectPath } = await import('../../src/core/index.ts');
  return new Promise((resolve) => {
    execFile(process.execPath, [projectPath('bin', 'vigil.mjs'), ...args], { maxBuffer: 64 << 20 }, (e, out) => {
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out });
    });
  });
}

test('command line: vigil bench k3s on the recorded node, JSON and JUnit', async () => {
  const json = await vigil(['bench', 'k3s', '--node-root', nodeDir, '-o', 'json']);
  assert.equal(json.code, 1); // the recorded node has planted failures
  const doc = JSON.parse(json.out);
  assert.equal(doc.Controls[0].detected_version, 'v1.29.4+k3s1');
  assert.ok(doc.Totals.total_na > 0);
  const junit = await vigil(['bench', 'k3s', '--node-root', nodeDir, '-o', 'junit']);
  assert.match(junit.out, /<testsuites name="CIS k3s benchmark \(vigil-k3s-cis, k3s v1\.29\.4\+k3s1\)"/);
  assert.match(junit.out, /<failure message=/);
  const picked = await vigil(['bench', 'k3s', '--node-root', nodeDir, '--check', '1.3.2,4.2.1', '-o', 'json']);
  const only = JSON.parse(picked.out) as {
    Controls: { tests: { results: { test_number: string; status: string }[] }[] }[];
  };
  assert.deepEqual(
    only.Controls.flatMap((c) => c.tests.flatMap((g) => g.results.map((r) => `${r.test_number}=${r.status}`))),
    ['1.3.2=FAIL', '4.2.1=PASS'],
  );
});

test(
  "kube-bench's own engine test checks: audit / audit_config / audit_env precedence",
  { skip: upstream.skip },
  async () => {
    const { parseControls, runCheck, HostRunner } = await import('../../src/compliance/index.ts');
    const defs = parseControls(
      readFileSync(join(upstream.path, '..', 'check', 'data'), 'utf8'),
      'check/data',
    );
    const host = new HostRunner();
    let compared = 0;
    const wrong: string[] = [];
    for (const g of defs.groups) {
      for (const c of g.checks) {
        // these checks state their expected outcome in their text ("... -> pass", "... - failing")
        const m = /(?:->\s*|-\s+)(pass|fail)(?:ing)?\b/i.exec(c.text);
        if (!m) continue;
        compared++;
        const r = await runCheck(c, { runner: host, vars: new Map() });
        const want = m[1]!.toLowerCase() === 'pass' ? 'PASS' : 'FAIL';
        if (r.status !== want) wrong.push(`${g.id}.${c.id} "${c.text}": ${r.status}`);
      }
    }
    console.log(
      `# kube-bench check/data cases with stated outcomes: ${compared - wrong.length}/${compared}`,
    );
    assert.deepEqual(wrong, []);
    assert.ok(compared >= 20);
  },
);
