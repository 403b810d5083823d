/**
 * node_exporter's diskstats collector: /proc/diskstats per whole device (partitions, loop and
 * ram devices left out by node_exporter's default pattern). Sectors there are always 512
 * bytes; times are milliseconds.
 * @module
 */
import { join } from 'node:path';
import { counter, gauge, type FamilyBuilder } from '../families.ts';
import { readText } from '../read.ts';
import type { Collector } from '../types.ts';

/** node_exporter's default --collector.diskstats.device-exclude. */
export const DISK_EXCLUDE = /^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$/;
const SECTOR = 512;
const MS = 0.001;

/** Field index (after major, minor, name) -> family and the factor its value is scaled by. */
const FIELDS: [number, () => FamilyBuilder, number][] = [
  [0, () => counter('node_disk_reads_completed_total', 'Reads completed successfully.'), 1],
  [1, () => counter('node_disk_reads_merged_total', 'Reads merged.'), 1],
  [2, () => counter('node_disk_read_bytes_total', 'Bytes read successfully.'), SECTOR],
  [3, () => counter('node_disk_read_time_seconds_total', 'Seconds spent by all reads.'), MS],
  [4, () => counter('node_disk_writes_completed_total', 'Writes completed successfully.'), 1],
  [5, () => counter('node_disk_writes_merged_total', 'Writes merged.'), 1],
  [6, () => counter('node_disk_written_bytes_total', 'Bytes written successfully.'), SECTOR],
  [7, () => counter('node_disk_write_time_seconds_total', 'Seconds spent by all writes.'), MS],
  [8, () => gauge('node_disk_io_now', 'I/Os currently in progress.'), 1],
  [9, () => counter('node_disk_io_time_seconds_total', 'Seconds spent doing I/Os.'), MS],
  [10, () => counter('node_disk_io_time_weighted_seconds_total', 'Weighted seconds spent doing I/Os.'), MS],
  [11, () => counter('node_disk_discards_completed_total', 'Discards completed successfully.'), 1],
  [12, () => counter('node_disk_discards_merged_total', 'Discards merged.'), 1],
  [13, () => counter('node_disk_discarded_sectors_total', 'Sectors discarded successfully.'), 1],
  [14, () => counter('node_disk_discard_time_seconds_total', 'Seconds spent by all discards.'), MS],
  [15, () => counter('node_disk_flush_requests_total', 'Flush requests completed successfully.'), 1],
  [16, () => counter('node_disk_flush_requests_time_seconds_total', 'Seconds spent by all flush requests.'), MS],
];

/** The diskstats collector. */
export const diskstatsCollector: Collector = {
  id: 'diskstats',
  description: 'node_disk_read_bytes_total{device}, node_disk_written_bytes_total, node_disk_io_time_seconds_total, ... from /proc/diskstats',
  async collect({ paths }) {
    const fams = FIELDS.map(([i, make, scale]) => ({ i, f: make(), scale }));
    for (const line of (await readText(join(paths.proc, 'diskstats'))).split('\n')) {
      const parts = line.trim().split(/\s+/);
      if (parts.length < 14 || DISK_EXCLUDE.test(parts[2])) continue;
      const values = parts.slice(3).map(Number);
      // older kernels have 11 fields, 4.18+ add discards, 5.5+ flushes: only what the line has
      for (const { i, f, scale } of fams) if (i < values.length) f.add(values[i] * scale, { device: parts[2] });
    }
    return fams.map((x) => x.f);
  },
};
