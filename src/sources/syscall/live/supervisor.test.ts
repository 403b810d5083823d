import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { Readable } from 'node:stream';
import { SensorSupervisor, type Sensor, type SensorExit, type SensorOptions } from './index.ts';

/** A scripted loader generation: reports stats, then ends with `code` (or a signal) when told. */
function fakeSensor(opts: SensorOptions, sent: number, lost: number, code: number, signal: NodeJS.Signals | null = null): Sensor & { end(): void } {
  let finish!: (c: number) => void;
  const exited = new Promise<number>((r) => { finish = r; });
  const stream = new Readable({ read() {} });
  const child = { signalCode: null } as unknown as { -readonly [K in keyof ChildProcess]: ChildProcess[K] };
  const s = {
    child, stream, exited, stats: { sent, lost, written: sent, lostPerCpu: [lost] },
    end() { child.signalCode = signal; stream.push(null); finish(signal ? 128 : code); },
    stop: async () => { s.end(); return exited; },
  };
  queueMicrotask(() => opts.onStats?.({ sent, lost, written: sent, lostPerCpu: [lost, 0] }));
  return s;
}

test('a killed loader is restarted with doubling back-off; counters add up over generations; stop ends it', async () => {
  const gens: (Sensor & { end(): void })[] = [];
  const exits: SensorExit[] = [];
  const consumed: number[] = [];
  const sup = new SensorSupervisor({
    initialDelayMs: 5, maxDelayMs: 12,
    start: (o) => { const s = fakeSensor(o, 100, gens.length, 0, 'SIGKILL'); gens.push(s); return s; },
    onExit: (e) => exits.push(e),
  });
  const done = sup.run(async (stream, gen) => { for await (const _ of stream) void _; consumed.push(gen); });
  for (let i = 0; i < 3; i++) {
    while (gens.length <= i) await new Promise((r) => setTimeout(r, 1));
    await new Promise((r) => setTimeout(r, 2));
    gens[i]!.end();
  }
  while (gens.length < 4) await new Promise((r) => setTimeout(r, 1));
  await new Promise((r) => setTimeout(r, 2));
  await sup.stop();
  assert.equal(await done, 0);
  assert.equal(sup.restarts, 3);
  assert.deepEqual(exits.map((e) => [e.signal, e.restarts, e.delayMs]), [['SIGKILL', 1, 5], ['SIGKILL', 2, 10], ['SIGKILL', 3, 12]]);
  assert.deepEqual(consumed, [0, 1, 2, 3], 'every generation was consumed by the same consumer');
  assert.equal(sup.stats.sent, 400, 'sent summed over the four generations');
  assert.equal(sup.stats.lost, 0 + 1 + 2 + 3);
  assert.equal(sup.stats.lostPerCpu[0], 6);
});

test('a loader that cannot load the probe (exit 3) is not restarted; a clean end (duration) ends the run', async () => {
  const exits: SensorExit[] = [];
  const sup = new SensorSupervisor({ initialDelayMs: 1, start: (o) => { const s = fakeSensor(o, 0, 0, 3); setTimeout(() => s.end(), 1); return s; }, onExit: (e) => exits.push(e) });
  assert.equal(await sup.run(async () => undefined), 3);
  assert.equal(sup.restarts, 0);
  assert.deepEqual(exits.map((e) => [e.code, e.willRestart]), [[3, false]]);
  const clean = new SensorSupervisor({ start: (o) => { const s = fakeSensor(o, 5, 0, 0); setTimeout(() => s.end(), 1); return s; } });
  assert.equal(await clean.run(async () => undefined), 0);
  assert.equal(clean.restarts, 0);
});

test('maxRestarts bounds the retries; a consumer error is reported with the exit', async () => {
  const exits: SensorExit[] = [];
  const sup = new SensorSupervisor({ initialDelayMs: 1, maxRestarts: 2, start: (o) => { const s = fakeSensor(o, 0, 0, 1); setTimeout(() => s.end(), 1); return s; }, onExit: (e) => exits.push(e) });
  const code = await sup.run(async () => { throw new Error('partial block'); });
  assert.equal(code, 1);
  assert.equal(sup.restarts, 2);
  assert.deepEqual(exits.map((e) => e.willRestart), [true, true, false]);
  assert.match(String(exits[0]!.streamError), /partial block/);
});
