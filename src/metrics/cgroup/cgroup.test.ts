/**
 * The container collector against two hand-written cgroup trees (src/metrics/fixtures):
 * cgroup-v2 (unified, systemd-driver kubepods path) and cgroup-v1 (hybrid: v1 controllers and
 * an empty unified mount, as containerd sets up on this project's CI machines). Each expected
 * value is derived below from the fixture files with cAdvisor's rules.
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixturePaths, labelSets, sample } from '../fixtures.test-helpers.ts';
import { containerCollector, type ContainerFactsSource } from './collector.ts';

const V2_ID = 'f00d'.repeat(16);
const V1_ID = 'beef'.repeat(16);
const V2_PATH = `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234.slice/cri-containerd-${V2_ID}.scope`;
const NOW_MS = 1_800_000_000_000;

/** Facts for the v2 container only, as a containerd resolver would give them. */
const facts: ContainerFactsSource = {
  cached: (id) => (id === V2_ID ? { image: 'docker.io/library/nginx:1.27', pod: { name: 'web-1', namespace: 'shop', containerName: 'nginx' } } : undefined),
  lookup: async () => undefined,
};

test('cgroup v2: cAdvisor families and kubelet labels of a container and the root', async () => {
  const paths = fixturePaths('cgroup-v2');
  const f = await containerCollector(facts).collect({ paths, now: () => NOW_MS });
  const c = { id: V2_PATH, name: V2_ID, image: 'docker.io/library/nginx:1.27', namespace: 'shop', pod: 'web-1', container: 'nginx' };
  // cpu.stat usage_usec 2500000 -> 2.5 s; user 1500000 -> 1.5; system 1000000 -> 1
  assert.equal(sample(f, 'container_cpu_usage_seconds_total', { ...c, cpu: 'total' }), 2.5);
  assert.equal(sample(f, 'container_cpu_user_seconds_total', c), 1.5);
  assert.equal(sample(f, 'container_cpu_system_seconds_total', c), 1);
  // cpu.max "50000 100000": a quota, so the CFS families are there: nr_periods 100, nr_throttled 7, throttled_usec 350000
  assert.equal(sample(f, 'container_spec_cpu_quota', c), 50000);
  assert.equal(sample(f, 'container_spec_cpu_period', c), 100000);
  assert.equal(sample(f, 'container_cpu_cfs_periods_total', c), 100);
  assert.equal(sample(f, 'container_cpu_cfs_throttled_periods_total', c), 7);
  assert.equal(sample(f, 'container_cpu_cfs_throttled_seconds_total', c), 0.35);
  // cpu.weight 100 -> shares 2 + (99 * 262142) / 9999 in integers = 2597
  assert.equal(sample(f, 'container_spec_cpu_shares', c), 2597);
  // memory.current 104857600; working set = current - inactive_file 30000000
  assert.equal(sample(f, 'container_memory_usage_bytes', c), 104857600);
  assert.equal(sample(f, 'container_memory_working_set_bytes', c), 74857600);
  assert.equal(sample(f, 'container_memory_rss', c), 50000000); // anon
  assert.equal(sample(f, 'container_memory_cache', c), 40000000); // file
  assert.equal(sample(f, 'container_memory_mapped_file', c), 1000000);
  assert.equal(sample(f, 'container_memory_failcnt', c), 3); // memory.events max
  assert.equal(sample(f, 'container_oom_events_total', c), 1); // memory.events oom_kill
  assert.equal(sample(f, 'container_memory_max_usage_bytes', c), 120000000); // memory.peak
  assert.equal(sample(f, 'container_spec_memory_limit_bytes', c), 268435456);
  assert.equal(sample(f, 'container_processes', c), 1);
  // io.stat 8:0 -> /dev/sda (from diskstats)
  assert.equal(sample(f, 'container_fs_reads_bytes_total', { ...c, device: '/dev/sda' }), 4096);
  assert.equal(sample(f, 'container_fs_writes_bytes_total', { ...c, device: '/dev/sda' }), 8192);
  assert.equal(sample(f, 'container_fs_reads_total', { ...c, device: '/dev/sda' }), 1);
  assert.equal(sample(f, 'container_fs_writes_total', { ...c, device: '/dev/sda' }), 2);
  // pid 4242 has its own network namespace: its eth0 (lo is ignored, as cAdvisor does)
  assert.equal(sample(f, 'container_network_receive_bytes_total', { ...c, interface: 'eth0' }), 1500);
  assert.equal(sample(f, 'container_network_receive_packets_dropped_total', { ...c, interface: 'eth0' }), 1);
  assert.equal(sample(f, 'container_network_transmit_bytes_total', { ...c, interface: 'eth0' }), 2500);
  assert.equal(sample(f, 'container_network_transmit_packets_total', { ...c, interface: 'eth0' }), 25);
  assert.equal(sample(f, 'container_network_receive_bytes_total', { ...c, interface: 'lo' }), undefined);
  assert.equal(sample(f, 'container_last_seen', c), NOW_MS / 1000);
  assert.equal(sample(f, 'container_start_time_seconds', c), statSync(join(paths.sys, 'fs/cgroup', V2_PATH)).mtimeMs / 1000);
  // the root: cpu.stat of the root cgroup, host interfaces without lo and veth*
  const root = { id: '/', name: '', image: '', namespace: '', pod: '', container: '' };
  assert.equal(sample(f, 'container_cpu_usage_seconds_total', { ...root, cpu: 'total' }), 5000);
  assert.deepEqual(labelSets(f, 'container_network_receive_bytes_total').map((l) => `${l.id} ${l.interface}`), ['/ eth0', `${V2_PATH} eth0`]);
  assert.equal(sample(f, 'container_network_transmit_errors_total', { ...root, interface: 'eth0' }), 3);
  // intermediate slices are not containers; every series has the six labels
  assert.deepEqual(labelSets(f, 'container_memory_usage_bytes').map((l) => l.id), [V2_PATH]);
  for (const fam of f) for (const v of fam.values) for (const k of ['id', 'name', 'image', 'namespace', 'pod', 'container']) assert.ok(k in v.labels, `${fam.name} lacks ${k}`);
});

test('cgroup v1 (hybrid): cpuacct, cpu, memory, blkio and pids hierarchies; no metadata source', async () => {
  const paths = fixturePaths('cgroup-v1');
  const f = await containerCollector().collect({ paths, now: () => NOW_MS });
  const c = { id: `/k8s.io/${V1_ID}`, name: V1_ID, image: '', namespace: '', pod: '', container: '' };
  // cpuacct.usage 3000000000 ns -> 3 s; cpuacct.stat user 200, system 50 ticks at USER_HZ 100
  assert.equal(sample(f, 'container_cpu_usage_seconds_total', { ...c, cpu: 'total' }), 3);
  assert.equal(sample(f, 'container_cpu_user_seconds_total', c), 2);
  assert.equal(sample(f, 'container_cpu_system_seconds_total', c), 0.5);
  // cfs_quota_us -1: no quota, so no CFS families and no quota gauge (cAdvisor's condition)
  assert.equal(sample(f, 'container_cpu_cfs_periods_total', c), undefined);
  assert.equal(sample(f, 'container_spec_cpu_quota', c), undefined);
  assert.equal(sample(f, 'container_spec_cpu_shares', c), 1024);
  // usage 52428800 < total_inactive_file 60000000: the working set floors at 0
  assert.equal(sample(f, 'container_memory_usage_bytes', c), 52428800);
  assert.equal(sample(f, 'container_memory_working_set_bytes', c), 0);
  assert.equal(sample(f, 'container_memory_rss', c), 25000000); // total_rss, not rss
  assert.equal(sample(f, 'container_memory_cache', c), 20000000);
  // limit 9223372036854771712 (> 2^62) is unlimited: cAdvisor prints 0
  assert.equal(sample(f, 'container_spec_memory_limit_bytes', c), 0);
  // blkio throttle recursive files: Read/Write lines only
  assert.equal(sample(f, 'container_fs_reads_bytes_total', { ...c, device: '/dev/sda' }), 1024);
  assert.equal(sample(f, 'container_fs_writes_bytes_total', { ...c, device: '/dev/sda' }), 2048);
  assert.equal(sample(f, 'container_fs_reads_total', { ...c, device: '/dev/sda' }), 3);
  assert.equal(sample(f, 'container_fs_writes_total', { ...c, device: '/dev/sda' }), 4);
  // pids hierarchy: 2 processes; pid 5151 shares the host's network namespace -> no container network series
  assert.equal(sample(f, 'container_processes', c), 2);
  assert.deepEqual(labelSets(f, 'container_network_receive_bytes_total').map((l) => l.id), ['/']);
  // root: cpuacct.usage 9 s; memory usage 1e9 - total_inactive_file 1e8
  const root = { id: '/', name: '' };
  assert.equal(sample(f, 'container_cpu_usage_seconds_total', { ...root, cpu: 'total' }), 9);
  assert.equal(sample(f, 'container_memory_working_set_bytes', root), 900000000);
});
