/**
 * The live sensor from TypeScript: checks that this host can run it, starts the C loader
 * (sensor/build/vigil-sensor) and exposes its scap stream and its drop counters.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { projectPath } from '../../../core/index.ts';

/** Where `make -C sensor` puts the loader. */
export function sensorBinary(): string {
  return process.env.VIGIL_SENSOR_BIN ?? projectPath('sensor', 'build', 'vigil-sensor');
}

/** Reasons this host cannot run the sensor, each with what to do; empty when it can. */
export function sensorProblems(): { code: string; message: string }[] {
  const out: { code: string; message: string }[] = [];
  if (typeof process.geteuid === 'function' && process.geteuid() !== 0)
    out.push({ code: 'SENSOR_NOT_ROOT', message: 'live capture needs root (CAP_BPF, CAP_PERFMON): run as root' });
  if (!existsSync('/sys/kernel/btf/vmlinux'))
    out.push({ code: 'SENSOR_NO_BTF', message: 'this kernel exposes no BTF (/sys/kernel/btf/vmlinux); the CO-RE sensor needs CONFIG_DEBUG_INFO_BTF=y' });
  if (!existsSync(sensorBinary()))
    out.push({ code: 'SENSOR_NOT_BUILT', message: `the sensor is not built (${sensorBinary()}): run \`make -C sensor\` (needs clang, llvm, libbpf-dev, bpftool, libelf-dev, zlib1g-dev)` });
  return out;
}

/** Drop counters reported by the loader (per CPU, since start). */
export interface SensorStats {
  sent: number;
  lost: number;
  written: number;
  lostPerCpu: number[];
}

/** Options for `startSensor`. */
export interface SensorOptions {
  /** Falco event type names the rules need; undefined = every syscall the sensor knows. */
  syscalls?: Iterable<string>;
  /** Bytes of data buffers kept (Falco's snaplen, default 80). */
  snaplen?: number;
  /** Write the capture to this file instead of a pipe. */
  file?: string;
  /** Stop after this many seconds. */
  durationSeconds?: number;
  /** Ring buffer size in bytes (rounded up to a power of two; default 16 MiB). */
  ringBytes?: number;
  /** A process whose events are not captured (default: this process when it reads the stream, so its own reads of the pipe do not feed back). */
  skipPid?: number;
  /** Called with each stats line the loader prints (about once a second when counters move). */
  onStats?: (s: SensorStats) => void;
  /** Called with the loader's other stderr lines. */
  onLog?: (line: string) => void;
}

/** A running sensor. */
export interface Sensor {
  child: ChildProcess;
  /** The scap stream (when no file was given). */
  stream: Readable | null;
  stats: SensorStats;
  /** Asks the loader to stop (SIGTERM); resolves with its exit code. */
  stop(): Promise<number>;
  /** Resolves with the exit code when the loader ends. */
  exited: Promise<number>;
}

/** Parses `vigil-sensor: stats sent=1 lost=0 written=1 lost_cpu0=0 ...`. */
export function parseStatsLine(line: string): SensorStats | undefined {
  if (!line.startsWith('vigil-sensor: stats ')) return undefined;
  const kv = Object.fromEntries(line.slice(20).trim().split(/\s+/).map((p) => p.split('=') as [string, string]));
  const lostPerCpu: number[] = [];
  for (const [k, v] of Object.entries(kv)) {
    const m = /^lost_cpu(\d+)$/.exec(k);
    if (m) lostPerCpu[Number(m[1])] = Number(v);
  }
  return { sent: Number(kv.sent ?? 0), lost: Number(kv.lost ?? 0), written: Number(kv.written ?? 0), lostPerCpu };
}

/** Starts the loader. Call `sensorProblems()` first to explain why it cannot run. */
export function startSensor(opts: SensorOptions = {}): Sensor {
  const args = ['-w', opts.file ?? '-', '-s', String(opts.snaplen ?? 80)];
  if (opts.syscalls) {
    const list = [...new Set(opts.syscalls)].sort();
    if (list.length) args.push('-S', list.join(','));
  }
  if (opts.durationSeconds) args.push('-d', String(opts.durationSeconds));
  if (opts.ringBytes) args.push('-b', String(opts.ringBytes));
  const skip = opts.skipPid ?? (opts.file ? undefined : process.pid);
  if (skip) args.push('-P', String(skip));
  const child = spawn(sensorBinary(), args, { stdio: ['ignore', opts.file ? 'ignore' : 'pipe', 'pipe'] });
  const stats: SensorStats = { sent: 0, lost: 0, written: 0, lostPerCpu: [] };
  createInterface({ input: child.stderr! }).on('line', (line) => {
    const s = parseStatsLine(line);
    if (s) {
      Object.assign(stats, s);
      opts.onStats?.(s);
    } else opts.onLog?.(line);
  });
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', () => resolve(127));
  });
  return {
    child,
    stream: child.stdout,
    stats,
    exited,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
