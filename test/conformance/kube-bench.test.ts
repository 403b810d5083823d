// kube-bench's definition sets (upstream k3s and Rancher's) load and run against a recorded
// k3s node; automated checks match the hand-derived results in the fixture's expected.yaml.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { needConformance } from './helpers.ts';
import { FixtureRunner, loadBenchmark, runBenchmark, type CheckResult } from '../../src/compliance/index.ts';
import { projectPath } from '../../src/core/index.ts';

const upstream = needConformance('kube-bench', 'cfg');
const rancher = needConformance('kube-bench-rancher', 'package', 'cfg');
const nodeDir = projectPath('test', 'fixtures', 'k3s-node');
const expected = parse(readFileSync(join(nodeDir, 'expected.yaml'), 'utf8')) as Record<string, Record<string, string>>;
const runner = new FixtureRunner(nodeDir);
after(() => runner.close());

function sets(dir: string): string[] {
  return readdirSync(dir).filter((d) => statSync(join(dir, d)).isDirectory()).map((d) => join(dir, d));
}

const results = new Map<string, Map<string, CheckResult>>();

test('every definition set loads and runs on the recorded k3s node', { skip: upstream.skip || rancher.skip }, async () => {
  const dirs = [...sets(upstream.path), ...sets(rancher.path)];
  assert.equal(dirs.length, 9);
  for (const d of dirs) {
    const b = loadBenchmark(d);
    assert.ok(b.controls.length === 5, `${b.name}: ${b.controls.length} controls files`);
    const { report, diagnostics } = await runBenchmark(b, runner);
    // the only acceptable diagnostics: generic kube-bench component names that k3s does not run
    assert.deepEqual(diagnostics.filter((x) => x.code !== 'BENCH_COMPONENT_NOT_RUNNING'), [], b.name);
    const byId = new Map<string, CheckResult>();
    for (const c of report.Controls) for (const g of c.tests) for (const r of g.results) byId.set(r.test_number, r);
    const total = report.Totals.total_pass + report.Totals.total_fail + report.Totals.total_warn + report.Totals.total_info;
    assert.equal(total, byId.size, `${b.name}: every check has one state`);
    for (const r of byId.values()) assert.ok(!/unable to parse path|unknown binary operator/.test(r.reason ?? ''), `${b.name} ${r.test_number}: ${r.reason}`);
    results.set(b.name, byId);
  }
});

test('automated checks match the hand-derived results', { skip: upstream.skip || rancher.skip }, () => {
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
      if (r.status !== state) wrong.push(`${bench} ${id}: ${r.status} (expected ${state}; ${r.reason ?? r.expected_result})`);
    }
  }
  console.log(`# kube-bench on the recorded k3s node: ${compared - wrong.length}/${compared} automated checks as derived`);
  assert.deepEqual(wrong, []);
  assert.ok(compared >= 60);
});
