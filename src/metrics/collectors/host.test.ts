/**
 * The node_exporter collectors against the fixture tree src/metrics/fixtures/node (its /proc
 * files are written by hand, so each expected value below is derived here from those files
 * with node_exporter's rules, not from our output).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixturePaths, labelSets, sample } from '../fixtures.test-helpers.ts';
import type { Family } from '../types.ts';
import { cpuCollector } from './cpu.ts';
import { diskstatsCollector } from './diskstats.ts';
import { filesystemCollector, type StatFsLike } from './filesystem.ts';
import { loadavgCollector } from './loadavg.ts';
import { meminfoCollector } from './meminfo.ts';
import { netdevCollector } from './netdev.ts';
import { pressureCollector } from './pressure.ts';
import { statCollector } from './stat.ts';
import { unameCollector } from './uname.ts';

const ctx = { paths: fixturePaths('node'), now: () => 1_800_000_000_000 };
const run = (c: { collect: typeof cpuCollector.collect }): Promise<Family[]> => c.collect(ctx);

test('cpu: /proc/stat cpuN fields divided by USER_HZ=100, guest split out', async () => {
  const f = await run(cpuCollector);
  // cpu0 line: user 600 nice 10 system 200 idle 20000 iowait 30 irq 4 softirq 5 steal 6 guest 60 guest_nice 4
  const cpu0: [string, number][] = [['user', 6], ['nice', 0.1], ['system', 2], ['idle', 200], ['iowait', 0.3], ['irq', 0.04], ['softirq', 0.05], ['steal', 0.06]];
  for (const [mode, v] of cpu0) assert.equal(sample(f, 'node_cpu_seconds_total', { cpu: '0', mode }), v, mode);
  assert.equal(sample(f, 'node_cpu_seconds_total', { cpu: '1', mode: 'user' }), 4);
  assert.equal(sample(f, 'node_cpu_guest_seconds_total', { cpu: '0', mode: 'user' }), 0.6);
  assert.equal(sample(f, 'node_cpu_guest_seconds_total', { cpu: '1', mode: 'nice' }), 0.06);
  // the aggregate `cpu` line is not exported (node_exporter exports per-CPU series only): 2 CPUs x 8 modes
  assert.equal(labelSets(f, 'node_cpu_seconds_total').length, 16);
  assert.equal(f.find((x) => x.name === 'node_cpu_seconds_total')?.type, 'counter');
});

test('stat: btime, ctxt, processes, first intr number, procs_running/blocked', async () => {
  const f = await run(statCollector);
  assert.equal(sample(f, 'node_boot_time_seconds'), 1700000000);
  assert.equal(sample(f, 'node_context_switches_total'), 987654);
  assert.equal(sample(f, 'node_forks_total'), 4321);
  assert.equal(sample(f, 'node_intr_total'), 123456);
  assert.equal(sample(f, 'node_procs_running'), 3);
  assert.equal(sample(f, 'node_procs_blocked'), 1);
});

test('meminfo: kB x 1024 with _bytes, Active(anon) -> Active_anon, unitless keeps its name', async () => {
  const f = await run(meminfoCollector);
  assert.equal(sample(f, 'node_memory_MemTotal_bytes'), 2048000 * 1024); // 2097152000
  assert.equal(sample(f, 'node_memory_MemAvailable_bytes'), 1024000 * 1024);
  assert.equal(sample(f, 'node_memory_Active_anon_bytes'), 40000 * 1024);
  assert.equal(sample(f, 'node_memory_HugePages_Total'), 0);
  assert.equal(sample(f, 'node_memory_Hugepagesize_bytes'), 2048 * 1024);
  assert.equal(f.length, 8);
  assert.ok(f.every((x) => x.type === 'gauge'));
});

test('loadavg: the first three fields', async () => {
  const f = await run(loadavgCollector);
  assert.deepEqual([sample(f, 'node_load1'), sample(f, 'node_load5'), sample(f, 'node_load15')], [0.52, 0.36, 0.25]);
});

test('netdev: receive columns 1-8 and transmit columns 9-16 per device', async () => {
  const f = await run(netdevCollector);
  assert.equal(sample(f, 'node_network_receive_bytes_total', { device: 'eth0' }), 123456789);
  assert.equal(sample(f, 'node_network_receive_multicast_total', { device: 'eth0' }), 6);
  assert.equal(sample(f, 'node_network_transmit_bytes_total', { device: 'eth0' }), 987654321);
  assert.equal(sample(f, 'node_network_transmit_colls_total', { device: 'eth0' }), 10);
  assert.equal(sample(f, 'node_network_transmit_compressed_total', { device: 'eth0' }), 12);
  assert.equal(sample(f, 'node_network_receive_bytes_total', { device: 'lo' }), 1000);
});

test('diskstats: whole disks only, sectors x 512, ms / 1000, discard and flush fields when present', async () => {
  const f = await run(diskstatsCollector);
  // sda: 100 10 2000 300 50 5 4000 600 1 700 900 0 0 0 0 0 0
  assert.equal(sample(f, 'node_disk_reads_completed_total', { device: 'sda' }), 100);
  assert.equal(sample(f, 'node_disk_read_bytes_total', { device: 'sda' }), 2000 * 512);
  assert.equal(sample(f, 'node_disk_read_time_seconds_total', { device: 'sda' }), 0.3);
  assert.equal(sample(f, 'node_disk_written_bytes_total', { device: 'sda' }), 4000 * 512);
  assert.equal(sample(f, 'node_disk_io_now', { device: 'sda' }), 1);
  // node_exporter multiplies ticks by 1/1000 (not a division): 700 * 0.001 is 0.7000000000000001 there too
  assert.equal(sample(f, 'node_disk_io_time_seconds_total', { device: 'sda' }), 700 * 0.001);
  assert.equal(sample(f, 'node_disk_io_time_weighted_seconds_total', { device: 'sda' }), 900 * 0.001);
  // nvme0n1: ... discards 2 0 16 1, flush 3 4
  assert.equal(sample(f, 'node_disk_discarded_sectors_total', { device: 'nvme0n1' }), 16);
  assert.equal(sample(f, 'node_disk_flush_requests_total', { device: 'nvme0n1' }), 3);
  assert.equal(sample(f, 'node_disk_flush_requests_time_seconds_total', { device: 'nvme0n1' }), 0.004);
  // partitions and loop devices are excluded by node_exporter's default pattern
  assert.deepEqual(labelSets(f, 'node_disk_reads_completed_total').map((l) => l.device), ['sda', 'nvme0n1']);
});

test('pressure: some -> waiting, full -> stalled, microseconds / 1e6; no irq file, no irq family', async () => {
  const f = await run(pressureCollector);
  assert.equal(sample(f, 'node_pressure_cpu_waiting_seconds_total'), 1.5);
  assert.equal(sample(f, 'node_pressure_io_waiting_seconds_total'), 2.5);
  assert.equal(sample(f, 'node_pressure_io_stalled_seconds_total'), 1.25);
  assert.equal(sample(f, 'node_pressure_memory_stalled_seconds_total'), 0);
  assert.ok(!f.some((x) => x.name.includes('irq')));
});

test('uname: node_uname_info from /proc/sys/kernel', async () => {
  const [f] = await run(unameCollector);
  assert.equal(f.values[0].value, 1);
  const l = f.values[0].labels;
  assert.deepEqual([l.sysname, l.release, l.nodename, l.domainname, l.version], ['Linux', '6.1.0-fixture', 'fixture-node', '(none)', '#1 SMP PREEMPT_DYNAMIC Debian 6.1.0 (2026-01-01)']);
});

test('filesystem: pid 1 mountinfo less excluded mount points and types; \\040 unescaped; statfs error -> device_error', async () => {
  const stats: Record<string, StatFsLike> = {
    '/': { bsize: 4096, blocks: 1000, bfree: 400, bavail: 300, files: 500, ffree: 100 },
    '/run': { bsize: 4096, blocks: 51200, bfree: 51000, bavail: 51000, files: 1000, ffree: 990 },
  };
  const stat = async (p: string) => {
    if (!stats[p]) throw new Error(`no fixture statfs for ${p}`);
    return stats[p];
  };
  const f = await filesystemCollector(stat).collect(ctx);
  const root = { device: '/dev/sda1', fstype: 'ext4', mountpoint: '/' };
  assert.equal(sample(f, 'node_filesystem_size_bytes', root), 1000 * 4096);
  assert.equal(sample(f, 'node_filesystem_free_bytes', root), 400 * 4096);
  assert.equal(sample(f, 'node_filesystem_avail_bytes', root), 300 * 4096);
  assert.equal(sample(f, 'node_filesystem_files', root), 500);
  assert.equal(sample(f, 'node_filesystem_files_free', root), 100);
  assert.equal(sample(f, 'node_filesystem_readonly', root), 0);
  assert.equal(sample(f, 'node_filesystem_size_bytes', { mountpoint: '/run', fstype: 'tmpfs', device: 'tmpfs' }), 51200 * 4096);
  const data = { device: '/dev/sda2', fstype: 'ext4', mountpoint: '/mnt/my data' };
  assert.equal(sample(f, 'node_filesystem_device_error', data), 1);
  assert.equal(sample(f, 'node_filesystem_size_bytes', data), undefined);
  // /proc, /sys, /dev (mount point), overlay and cgroup2 (type) are left out
  assert.deepEqual(labelSets(f, 'node_filesystem_device_error').map((l) => l.mountpoint), ['/', '/run', '/mnt/my data']);
});
