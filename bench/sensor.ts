/**
 * Live sensor costs, measured side by side in one run (root, sensor built, official rules from the
 * conformance data):
 *  (a) slowdown of an open/read/close loop and a fork+exec loop under `vigil run -r falco_rules.yaml`
 *      (the adaptive syscall set of those rules) against no sensor, broken down layer by layer with the
 *      loader's -X bench modes: the kernel's syscall-tracepoint slow path alone (an empty program), the
 *      real programs with every syscall filtered out, records made but dropped by the loader, records
 *      converted to scap (the C consumer, -> /dev/null), and vigil run; once unpinned and once with the
 *      workload on CPU 0 and the consumers on the last CPU;
 *  (b) the highest open/close event rate `vigil run` sustains with zero drops, against the rate the
 *      bare C consumer of the same ring buffer delivers with the generator running flat out; the
 *      generator is pinned to CPU 0 and the consumer (loader + vigil run) to the last CPU, so that on
 *      a small machine the consumer's own CPU use does not slow the generator down instead of
 *      making it drop;
 *  (c) the peak RSS of the `vigil run` process under that load.
 * Prints ratios and the load average at the time (the machine is shared: timings are noisy).
 *
 * Usage: npx tsx bench/sensor.ts [LOOP_ITERATIONS]   (BENCH_ROUNDS=N interleaved rounds for (a), default 3;
 *        BENCH_ONLY_A=1 stops after (a))
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { conformancePath, projectPath } from '../src/core/index.ts';
import { loadSyscallRules } from '../src/engine/index.ts';
import { parseStatsLine, sensorBinary, sensorProblems, type SensorStats } from '../src/sources/index.ts';

const C = `
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv) {
  char buf[64];
  if (!strcmp(argv[1], "spin")) { volatile unsigned long x = 0; for (;;) x++; }
  if (!strcmp(argv[1], "gen")) { /* open+close pairs at RATE pairs/s (0: flat out) for SECS; prints pairs, seconds */
    double rate = atof(argv[2]), secs = atof(argv[3]), t0 = now(); long n = 0;
    for (;;) {
      for (int i = 0; i < 50; i++) { int fd = open("/etc/hostname", O_RDONLY); close(fd); n++; }
      double t = now() - t0;
      if (t >= secs) break;
      if (rate > 0) { double ahead = n / rate - t; if (ahead > 0) usleep(ahead * 1e6); }
    }
    printf("%ld %.4f\\n", n, now() - t0);
    return 0;
  }
  long n = atol(argv[2]); double t0 = now();
  if (!strcmp(argv[1], "open")) for (long i = 0; i < n; i++) { int fd = open("/etc/hostname", O_RDONLY); if (read(fd, buf, sizeof buf) < 0) return 1; close(fd); }
  else for (long i = 0; i < n; i++) { pid_t p = fork(); if (!p) { execl("/bin/true", "true", (char *)0); _exit(1); } waitpid(p, 0, 0); }
  printf("%.1f\\n", (now() - t0) * 1e9 / n);
  return 0;
}
`;

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** ns per iteration, best of `reps` (the least disturbed run on a shared machine). Async: consumers in this process keep running. */
async function loop(bin: string, workload: string, n: number, cpu?: number, reps = 3): Promise<number> {
  const runs: number[] = [];
  const cmd = cpu === undefined ? [bin] : ['taskset', '-c', String(cpu), bin];
  for (let i = 0; i < reps; i++) runs.push(Number((await run(cmd[0]!, [...cmd.slice(1), workload, String(n)], { encoding: 'utf8' })).stdout.trim()));
  return Math.min(...runs);
}

/** A started process that printed `vigil-sensor: attached`, with its stderr lines and last stats. */
interface Running { child: ChildProcess; err: string[]; stats: SensorStats; exited: Promise<number> }

async function startAttached(cmd: string, args: string[], cpu?: number): Promise<Running> {
  const child = cpu === undefined ? spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] }) : spawn('taskset', ['-c', String(cpu), cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const r: Running = { child, err: [], stats: { sent: 0, lost: 0, written: 0, lostPerCpu: [] }, exited: new Promise((res) => child.on('exit', (c) => res(c ?? 128))) };
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (l) => {
      r.err.push(l);
      const s = parseStatsLine(l);
      if (s) r.stats = s;
      if (/vigil-sensor: attached/.test(l)) resolve();
    });
    r.exited.then((c) => reject(new Error(`${cmd} exited ${c} before attaching: ${r.err.slice(-5).join(' | ')}`)));
  });
  return r;
}

async function stopRunning(r: Running, signal: NodeJS.Signals): Promise<void> {
  r.child.kill(signal);
  await r.exited;
}

/** `vigil run` summary line "sensor: N events sent, M lost, ..." → counters. */
function vigilCounters(r: Running): { sent: number; lost: number } {
  const line = r.err.find((l) => /^sensor: \d+ events sent, \d+ lost/.test(l));
  const m = line ? /^sensor: (\d+) events sent, (\d+) lost/.exec(line) : null;
  return m ? { sent: Number(m[1]), lost: Number(m[2]) } : { sent: NaN, lost: NaN };
}

/** A CPU-bound loop on `cpu` (no sensor): the reference for what any busy process on another CPU costs. */
async function startSpin(bin: string, cpu?: number): Promise<Running> {
  const child = cpu === undefined ? spawn(bin, ['spin'], { stdio: 'ignore' }) : spawn('taskset', ['-c', String(cpu), bin, 'spin'], { stdio: 'ignore' });
  const exited = new Promise<number>((res) => child.on('exit', (c) => res(c ?? 128)));
  await sleep(200);
  return { child, err: [], stats: { sent: 0, lost: 0, written: 0, lostPerCpu: [] }, exited };
}

/** CPU time (ns) used so far by a process, its threads and its direct children (vigil run + loader). */
function treeCpuNs(pid: number): number {
  const one = (p: number) => {
    let t = 0;
    try {
      for (const tid of readdirSync(`/proc/${p}/task`)) t += Number(readFileSync(`/proc/${p}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch { /* gone */ }
    return t;
  };
  let kids: number[] = [];
  try { kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number); } catch { /* gone */ }
  return one(pid) + kids.reduce((a, k) => a + one(k), 0);
}

function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

const have = (cmd: string) => (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, cmd)));
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const problems = sensorProblems();
  if (problems.length) {
    for (const p of problems) console.error(`${p.code}: ${p.message}`);
    process.exit(2);
  }
  const rulesFile = conformancePath('falco', 'rules', 'falco_rules.yaml');
  if (!rulesFile || !existsSync(rulesFile)) {
    console.error('official rules not found (conformance data falco/rules/falco_rules.yaml)');
    process.exit(2);
  }
  const iters = Number(process.argv[2] ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-sensor-'));
  try {
    writeFileSync(join(dir, 'w.c'), C);
    const bin = join(dir, 'w');
    execFileSync('gcc', ['-O2', '-o', bin, join(dir, 'w.c')]);
    // the adaptive syscall set, computed as `vigil run` does
    const { result } = loadSyscallRules([rulesFile]);
    const types = new Set<string>();
    for (const r of result.rules) if (r.source === 'syscall' && r.enabled) for (const t of r.eventTypes ?? []) types.add(t);
    const syscallList = [...types].sort().join(',');
    const vigilArgs = [projectPath('bin', 'vigil.mjs'), 'run', '-r', rulesFile];
    const forks = Math.max(200, Math.round(iters / 100));
    console.log(`load average at start: ${load()}; official rules ask for ${types.size} event types: ${syscallList}`);

    // (a) overhead, broken down: each configuration adds one layer of cost to the one before it, so the
    // differences between rows say where the time goes. Rounds interleave the configurations (drift on a
    // shared machine hits them all alike); each cell is the best of its runs.
    const sensorArgs = ['-w', '/dev/null']; // not -q: startAttached waits for the `attached` line
    const configs: { name: string; what: string; start?: (cpu?: number) => Promise<Running>; stop?: NodeJS.Signals }[] = [
      { name: 'bare', what: 'no program attached' },
      { name: 'busy other CPU', what: 'no sensor; a spin loop (on the last CPU when pinned): what any busy consumer costs on this host', start: (c) => startSpin(bin, c), stop: 'SIGKILL' },
      { name: 'tracepoint', what: 'empty sys_exit program (the kernel\'s syscall-tracepoint slow path)', start: (c) => startAttached(sensorBinary(), [...sensorArgs, '-X', 'empty'], c), stop: 'SIGTERM' },
      { name: 'filtered', what: 'the real programs, every syscall switched off', start: (c) => startAttached(sensorBinary(), [...sensorArgs, '-X', 'filtered'], c), stop: 'SIGTERM' },
      { name: 'records', what: 'records of the rules\' syscalls, consumed and dropped by the loader', start: (c) => startAttached(sensorBinary(), [...sensorArgs, '-X', 'discard', '-S', syscallList], c), stop: 'SIGTERM' },
      { name: 'C consumer', what: 'records converted to scap and written to /dev/null', start: (c) => startAttached(sensorBinary(), [...sensorArgs, '-S', syscallList], c), stop: 'SIGTERM' },
      { name: 'vigil run', what: 'vigil run -r falco_rules.yaml', start: (c) => startAttached(process.execPath, vigilArgs, c), stop: 'SIGINT' },
    ];
    // cpu: consumer ns per open/read/close iteration; paired*: per round, the row's time over the bare
    // run next to it (the faster of the one just before it started and the one just after it stopped)
    type Cell = { open: number; fork: number; cpu?: number; pairedOpen: number[]; pairedFork: number[] };
    const measure = async (cpus: { workload?: number; consumer?: number }, rounds: number): Promise<Map<string, Cell>> => {
      const best = new Map<string, Cell>(configs.map((c) => [c.name, { open: Infinity, fork: Infinity, pairedOpen: [], pairedFork: [] }]));
      let lastBare = { open: Infinity, fork: Infinity };
      for (let r = 0; r < rounds; r++) {
        for (const c of configs) {
          const running = c.start ? await c.start(cpus.consumer) : undefined;
          const cell = best.get(c.name)!;
          const cpu0 = running && c.name !== 'busy other CPU' ? treeCpuNs(running.child.pid!) : NaN;
          const open = await loop(bin, 'open', iters, cpus.workload);
          if (!Number.isNaN(cpu0)) cell.cpu = Math.min(cell.cpu ?? Infinity, (treeCpuNs(running!.child.pid!) - cpu0) / (3 * iters));
          const fork = await loop(bin, 'fork', forks, cpus.workload);
          cell.open = Math.min(cell.open, open);
          cell.fork = Math.min(cell.fork, fork);
          if (!running) {
            lastBare = { open, fork };
            continue;
          }
          await stopRunning(running, c.stop!);
          if (c.name === 'vigil run') vigilRuns.push(vigilCounters(running));
          // the baseline again after every configuration: on a shared host one unlucky bare row skews
          // every ratio, so bare gets as many chances at its best as all the other rows together
          const after = { open: await loop(bin, 'open', iters, cpus.workload, 1), fork: await loop(bin, 'fork', forks, cpus.workload, 1) };
          const bare = best.get('bare')!;
          bare.open = Math.min(bare.open, after.open);
          bare.fork = Math.min(bare.fork, after.fork);
          cell.pairedOpen.push(open / Math.min(lastBare.open, after.open));
          cell.pairedFork.push(fork / Math.min(lastBare.fork, after.fork));
          lastBare = after;
        }
      }
      return best;
    };
    const vigilRuns: { sent: number; lost: number }[] = [];
    const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
    const free = await measure({}, rounds);
    // the same with the workload on CPU 0 and the consumers on the last CPU: what the probe itself
    // costs the workload when the consumer does not take the workload's CPU (as on a node with spare cores)
    const last = cpus().length - 1;
    const pin = last > 0 && have('taskset');
    const pinned = pin ? await measure({ workload: 0, consumer: last }, rounds) : undefined;
    const median = (xs: number[]) => { const a = [...xs].sort((x, y) => x - y); return a.length ? (a.length % 2 ? a[a.length >> 1]! : (a[a.length / 2 - 1]! + a[a.length / 2]!) / 2) : NaN; };
    const paired = (xs: number[]) => (xs.length ? `${median(xs).toFixed(2)}x` : '').padStart(6);
    const table = (title: string, m: Map<string, Cell>) => {
      const b = m.get('bare')!;
      console.log(`\n${title}; load ${load()}`);
      console.log('configuration      open/read/close  ratio  step paired |   fork+exec  ratio    step paired | what it adds');
      let prev = b;
      for (const c of configs) {
        const v = m.get(c.name)!;
        const other = c.name === 'busy other CPU'; // a reference row, not a layer of the sensor
        const base = c.name === 'vigil run' ? m.get('records')! : prev; // vigil run replaces the C consumer
        const step = (k: 'open' | 'fork') => (c.name === 'bare' || other ? '' : `${v[k] - base[k] >= 0 ? '+' : ''}${(v[k] - base[k]).toFixed(0)}`);
        console.log(`${c.name.padEnd(18)} ${v.open.toFixed(0).padStart(15)} ${(v.open / b.open).toFixed(2).padStart(5)}x ${step('open').padStart(5)} ${paired(v.pairedOpen)} | ${v.fork.toFixed(0).padStart(11)} ${(v.fork / b.fork).toFixed(2).padStart(5)}x ${step('fork').padStart(7)} ${paired(v.pairedFork)} | ${c.what}${v.cpu !== undefined ? '; consumer CPU ' + v.cpu.toFixed(0) + ' ns/iteration' : ''}`);
        if (c.name !== 'vigil run' && !other) prev = v;
      }
    };
    console.log(`\n(a) overhead, ns per iteration (best of ${3 * rounds} runs over ${rounds} interleaved rounds, bare also after every row; ${iters} open/read/close, ${forks} fork+exec); goals: open/read/close <= 1.25x, fork+exec <= 1.10x`);
    console.log('    step = ns added by that row over the row above (vigil run: over "records", the C side it shares);');
    console.log('    consumer CPU = CPU time of the loader (and vigil run) per open/read/close iteration, best round;');
    console.log('    paired = median over rounds of the row\'s time over the bare run beside it (before or after, the faster): robust to drift');
    table('not pinned', free);
    if (pinned) table(`pinned: workload on CPU 0, sensor and vigil run on CPU ${last}`, pinned);
    else console.log('(no taskset or one CPU: no pinned measurement)');
    console.log(`    (vigil run during (a): ${vigilRuns.map((v) => `${v.sent} events delivered, ${v.lost} lost`).join('; ')})`);

    if (process.env.BENCH_ONLY_A) return; // (a) alone: the breakdown, without the minutes (b) takes

    // (b) ceiling: the C consumer with the generator flat out
    const SECS = 3;
    const gen = async (rate: number) => {
      const cmd = pin ? ['taskset', '-c', '0', bin] : [bin];
      const [pairs, secs] = (await run(cmd[0]!, [...cmd.slice(1), 'gen', String(rate), String(SECS)], { encoding: 'utf8' })).stdout.trim().split(' ').map(Number);
      return (2 * pairs!) / secs!;
    };
    console.log(pin ? `\n(b) generator pinned to CPU 0, consumers to CPU ${last}` : '\n(b) not pinned (one CPU, or no taskset)');
    const c2 = await startAttached(sensorBinary(), ['-w', '/dev/null', '-S', syscallList], pin ? last : undefined);
    const cRate = await gen(0);
    await sleep(1200);
    await stopRunning(c2, 'SIGTERM');
    console.log(`(b) C consumer, generator flat out: ${cRate.toFixed(0)} open+close events/s offered, sensor sent=${c2.stats.sent} lost=${c2.stats.lost}; load ${load()}`);

    // vigil run at rising offered rates until it drops, then two bisection steps
    const trial = async (rate: number) => { // rate 0: flat out
      const v = await startAttached(process.execPath, vigilArgs, pin ? last : undefined);
      const offered = await gen(rate / 2);
      const rss = peakRssMb(v.child.pid!);
      await sleep(1500);
      await stopRunning(v, 'SIGINT');
      const c = vigilCounters(v);
      console.log(`    vigil run at ${rate ? rate.toFixed(0).padStart(7) + ' ev/s target' : 'flat out'.padStart(18)}: offered ${offered.toFixed(0).padStart(7)} ev/s, sent=${c.sent} lost=${c.lost}, peak RSS ${rss.toFixed(0)} MB; load ${load()}`);
      return { ok: c.lost === 0, offered, rss };
    };
    let good = 0, bad = 0, rss = 0, limited = false;
    for (let rate = 25_000; rate <= 1_600_000; rate *= 2) {
      const t = await trial(rate);
      rss = Math.max(rss, t.rss);
      if (!t.ok) { bad = rate; break; }
      good = Math.max(good, t.offered);
      // the generator cannot offer more: one flat-out run, then stop climbing
      if (t.offered < 0.7 * rate) {
        const f = await trial(0);
        rss = Math.max(rss, f.rss);
        if (f.ok) { good = Math.max(good, f.offered); limited = true; } else bad = f.offered;
        break;
      }
    }
    for (let i = 0; bad && i < 2; i++) {
      const mid = (good + bad) / 2;
      const t = await trial(mid);
      rss = Math.max(rss, t.rss);
      if (t.ok) good = Math.max(good, t.offered);
      else bad = mid;
    }
    console.log(`(b) highest zero-drop rate of vigil run with the official rules: ${good.toFixed(0)} ev/s = ${(good / cRate).toFixed(2)}x the C consumer's ${cRate.toFixed(0)} ev/s (goal >= 0.5x)${limited ? ' (never dropped: the generator is the limit)' : ''}`);
    console.log(`(c) peak RSS of vigil run under that load: ${rss.toFixed(0)} MB (goal <= 150 MB)`);
    console.log(`load average at end: ${load()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
