/**
 * Bad conditions for the live sensor: a killed loader is reported and restarted by `vigil run`,
 * which keeps alerting; a full ring buffer ends in counted drops, and stopping a loader whose
 * reader has stalled does not hang.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectPath } from '../../src/core/index.ts';
import { DropMonitor, startSensor } from '../../src/sources/index.ts';
import { sensorSkip } from './support.ts';

const skip = sensorSkip();

/** Resolves with the first line `pick` accepts (lines are also kept in `all`), or rejects after `ms`. */
function waitLine(lines: string[], listen: (f: (l: string) => void) => void, pick: (l: string) => boolean, ms: number, what: string): Promise<string> {
  const seen = lines.find(pick);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got:\n${lines.slice(-20).join('\n')}`)), ms);
    listen((l) => { if (pick(l)) { clearTimeout(t); resolve(l); } });
  });
}

function sensorChildren(ppid: number): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(ppid)], { encoding: 'utf8' });
  return out.split('\n').map((l) => l.trim().split(/\s+/)).filter((p) => p[1] === 'vigil-sensor').map((p) => Number(p[0]));
}

test('vigil run restarts a killed sensor and still alerts afterwards', { skip, timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sup-'));
  const rules = join(dir, 'marker.yaml');
  writeFileSync(rules, `- rule: vigil supervise marker\n  desc: a marker file was opened\n  condition: evt.type in (open, openat) and fd.name startswith ${dir}/marker\n  output: "marker opened %fd.name"\n  priority: WARNING\n`);
  const child = spawn(process.execPath, [projectPath('bin', 'vigil.mjs'), 'run', '-r', rules, '-o', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [], err: string[] = [];
  const outL: ((l: string) => void)[] = [], errL: ((l: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => { out.push(l); for (const f of outL) f(l); });
  createInterface({ input: child.stderr! }).on('line', (l) => { err.push(l); for (const f of errL) f(l); });
  const exited = new Promise<number>((r) => child.on('exit', (c) => r(c ?? 128)));
  // a vigil run that dies fails the wait at once, with its last words
  const died = exited.then((c) => { throw new Error(`vigil run exited (${c}): ${err.slice(-10).join('\n')}`); });
  died.catch(() => undefined);
  const until = <T>(p: Promise<T>) => Promise.race([p, died]);
  const attachedCount = () => err.filter((l) => /vigil-sensor: attached/.test(l)).length;
  const touch = async (name: string) => {
    writeFileSync(join(dir, name), name);
    execFileSync('cat', [join(dir, name)]);
    return until(waitLine(out, (f) => outL.push(f), (l) => l.includes(`${dir}/${name}`), 30_000, `the alert for ${name}`));
  };
  try {
    await until(waitLine(err, (f) => errL.push(f), (l) => /vigil-sensor: attached/.test(l), 60_000, 'the sensor to attach'));
    const first = JSON.parse(await touch('marker-1'));
    assert.equal(first.rule, 'vigil supervise marker');
    const [pid] = sensorChildren(child.pid!);
    assert.ok(pid, 'the sensor runs as a child of vigil run');
    process.kill(pid!, 'SIGKILL');
    const report = await until(waitLine(err, (f) => errL.push(f), (l) => /sensor exited/.test(l), 30_000, 'the crash report'));
    assert.match(report, /SIGKILL.*restart 1/);
    await until(waitLine(err, (f) => errL.push(f), () => attachedCount() >= 2, 60_000, 'the restarted sensor to attach'));
    const [again] = sensorChildren(child.pid!);
    assert.ok(again && again !== pid, 'a new sensor process runs');
    const second = JSON.parse(await touch('marker-2'));
    assert.equal(second.rule, 'vigil supervise marker');
    assert.match(second.output, /marker-2/);
    child.kill('SIGINT');
    assert.equal(await exited, 0, `vigil run stops cleanly: ${err.slice(-5).join(' | ')}`);
    assert.ok(err.some((l) => /1 restarts/.test(l)), 'the summary counts the restart');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a full ring buffer is counted as drops per CPU, and a stalled reader does not make stop hang', { skip, timeout: 120_000 }, async () => {
  const logs: string[] = [];
  let attached!: () => void;
  const ready = new Promise<void>((r) => { attached = r; });
  // a one-page ring buffer and a stream nobody reads: the pipe fills, the loader blocks, the ring overflows
  const s = startSensor({ ringBytes: 4096, onLog: (l) => { logs.push(l); if (/attached/.test(l)) attached(); } });
  s.stream!.pause();
  await Promise.race([ready, s.exited.then((c) => { throw new Error(`sensor exited ${c}: ${logs.join(' | ')}`); })]);
  execFileSync('sh', ['-c', 'i=0; while [ $i -lt 400 ]; do cat /etc/hostname; i=$((i+1)); done > /dev/null']);
  const code = await Promise.race([s.stop(), new Promise<string>((r) => setTimeout(() => r('hang'), 20_000))]);
  assert.notEqual(code, 'hang', 'the loader stops although its reader never drained the pipe');
  s.stream!.destroy();
  assert.ok(s.stats.lost > 0, `drops counted: ${JSON.stringify(s.stats)}`);
  assert.equal(s.stats.lostPerCpu.reduce((a, b) => a + (b ?? 0), 0), s.stats.lost, 'per-CPU drops add up');
  // and the drop alert Falco users expect follows from those counters
  const alert = new DropMonitor().observe(s.stats);
  assert.equal(alert?.rule, 'Falco internal: syscall event drop');
  assert.equal(alert?.output_fields.n_drops, s.stats.lost);
});
