/**
 * The collectors on this machine (sanity, not exact values: the host moves): MemTotal equals
 * /proc/meminfo's, the CPUs' idle seconds grow, and the whole exposition (with Vigil's
 * Falco-named counters from a stand-in detection) parses with the real Prometheus's promtool.
 * promtool's lint findings are allowed only where node_exporter, cAdvisor and Falco themselves
 * deviate (node_memory_* CamelCase, container_memory_failcnt without _total, Falco's gauges
 * named *_total and its start timestamp in nanoseconds).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { collectors, exposition, scrape } from './index.ts';
import { sample } from './fixtures.test-helpers.ts';
import type { Family } from './types.ts';

const sum = (f: Family[], name: string, labels: Record<string, string> = {}) =>
  (f.find((x) => x.name === name)?.values ?? []).filter((v) => Object.entries(labels).every(([k, w]) => v.labels[k] === w)).reduce((n, v) => n + v.value, 0);

test('live: node_memory_MemTotal_bytes is /proc/meminfo MemTotal x 1024; every collector succeeds', async () => {
  const r = await scrape(collectors());
  assert.deepEqual(r.errors, []);
  const kb = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]);
  assert.equal(sample(r.families, 'node_memory_MemTotal_bytes'), kb * 1024);
  for (const v of r.families.find((f) => f.name === 'node_scrape_collector_success')!.values) assert.equal(v.value, 1, String(v.labels.collector));
  assert.ok((sample(r.families, 'container_cpu_usage_seconds_total', { id: '/', cpu: 'total' }) ?? 0) > 0);
});

/** Idle ticks of all `cpuN` lines of /proc/stat, read directly. */
const rawIdleTicks = () => readFileSync('/proc/stat', 'utf8').split('\n').filter((l) => /^cpu\d/.test(l)).reduce((n, l) => n + Number(l.split(/\s+/)[4]), 0);

test('live: CPU seconds grow; idle follows /proc/stat (grows when the machine idles at all)', async (t) => {
  const first = (await scrape(collectors())).families;
  let grewIdle = false;
  let grewAll = false;
  let rawGrew = false;
  const rawStart = rawIdleTicks();
  for (let i = 0; i < 100 && !(grewIdle && grewAll); i++) {
    await new Promise((r) => setTimeout(r, 200));
    const before = rawIdleTicks();
    const now = (await scrape(collectors())).families;
    const after = rawIdleTicks();
    // ours lies between two direct reads taken around the scrape (ticks / USER_HZ 100)
    const idle = sum(now, 'node_cpu_seconds_total', { mode: 'idle' });
    assert.ok(idle * 100 >= before - 1e-6 && idle * 100 <= after + 1e-6, `idle ${idle} s outside /proc/stat's ${before}..${after} ticks`);
    grewAll ||= sum(now, 'node_cpu_seconds_total') > sum(first, 'node_cpu_seconds_total');
    grewIdle ||= idle > sum(first, 'node_cpu_seconds_total', { mode: 'idle' });
    rawGrew ||= after > rawStart;
  }
  assert.ok(grewAll, 'node_cpu_seconds_total did not grow in 20 s');
  if (rawGrew) assert.ok(grewIdle, 'idle grew in /proc/stat but not in node_cpu_seconds_total');
  else t.diagnostic('the CPUs had no idle time for 20 s (machine saturated): idle growth not observable, equality with /proc/stat checked');
});

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
const noPromtool = promtool.error ? 'promtool not installed (apt-get install prometheus; .ci/apt-packages.d/metrics.txt)' : false;
if (noPromtool) console.log(`# SKIP promtool check: ${noPromtool}`);

test('live: promtool check metrics parses the exposition; lint only where the reference exporters deviate', { skip: noPromtool }, async () => {
  const detection = {
    startedAtMs: Date.now() - 5000,
    eventsRead: () => 1234,
    sensor: () => ({ sent: 1000, lost: 7, lostPerCpu: [5, 2] }),
    matches: () => new Map([['Terminal shell in container', 3], ['Read sensitive file untrusted', 0]]),
    rule: (name: string) => ({ priority: 'Notice' as const, source: 'syscall', tags: ['container', 'mitre.execution', 'T1059'], name }),
    threads: () => 42,
    containers: () => 2,
  };
  const r = await scrape(collectors({ detection }));
  const text = await exposition(r.families);
  assert.match(text, /^falcosecurity_falco_rules_matches_total\{priority="5",rule_name="Terminal shell in container",source="syscall",tag_container="true",tag_mitre_execution="true",tag_T1059="true"\} 3$/m);
  assert.doesNotMatch(text, /Read sensitive file untrusted/);
  assert.match(text, /^falcosecurity_scap_n_evts_total 1007$/m);
  assert.match(text, /^falcosecurity_scap_n_drops_cpu_total\{cpu="1"\} 2$/m);
  const out = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  const report = `${out.stdout}${out.stderr}`;
  assert.doesNotMatch(report, /parsing error|error while linting/, report);
  const allowed = new RegExp([
    /^node_memory_\w+ metric names should be written in 'snake_case' not 'camelCase'$/.source,
    /^container_memory_failcnt counter metrics should have "_total" suffix$/.source,
    /^falcosecurity_(falco_host_num_cpus|scap_n_containers|scap_n_threads)_total non-counter metrics should not have "_total" suffix$/.source,
    /^falcosecurity_falco_start_timestamp_nanoseconds use base unit "seconds" instead of "nanoseconds"$/.source,
  ].join('|'));
  const findings = report.split('\n').filter(Boolean);
  assert.deepEqual(findings.filter((l) => !allowed.test(l)), []);
  // exit 0 (clean) or 3 (lint findings only); 1 would be a parse failure
  assert.ok(out.status === 0 || out.status === 3, `promtool exit ${out.status}: ${report}`);
});
