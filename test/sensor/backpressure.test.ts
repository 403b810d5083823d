/**
 * Back-pressure from the engine to the kernel: while the engine does not pull (its output is
 * congested), the scap pipe backs up, the loader blocks, the ring buffer fills and the losses are
 * counted on the BPF side; nothing queues up in the engine's process, and once the engine pulls
 * again it carries on with the same state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadSyscallRulesText, SyscallEngine } from '../../src/engine/index.ts';
import { startSensor } from '../../src/sources/index.ts';
import { sensorSkip } from './support.ts';

const skip = sensorSkip();
const sh = (script: string) => promisify(execFile)('sh', ['-c', script]);

test('a held engine backs up the pipe into counted kernel drops; memory stays bounded; it resumes', { skip, timeout: 120_000 }, async () => {
  const { ruleset } = loadSyscallRulesText([{ name: 'r.yaml', content: '- rule: any open\n  desc: d\n  condition: evt.type in (open, openat)\n  output: "%fd.name"\n  priority: DEBUG\n' }]);
  let release = () => {};
  let hold: Promise<void> | undefined; // open at first: the /proc snapshot at start may exceed the pipe
  const engine = new SyscallEngine(ruleset, { gate: () => hold });
  const logs: string[] = [];
  let attached!: () => void;
  const ready = new Promise<void>((r) => { attached = r; });
  const s = startSensor({ syscalls: ['open', 'openat'], ringBytes: 1 << 16, onLog: (l) => { logs.push(l); if (/attached/.test(l)) attached(); } });
  const running = engine.run(s.stream!, 'live');
  try {
    await Promise.race([ready, s.exited.then((c) => { throw new Error(`sensor exited ${c}: ${logs.join(' | ')}`); })]);
    await sh('cat /etc/hostname > /dev/null');
    for (let i = 0; i < 200 && engine.counters.eventsRead === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(engine.counters.eventsRead > 0, 'events flow before the engine is held');
    // hold the engine: after its current chunk it pulls nothing more
    hold = new Promise<void>((r) => { release = () => { hold = undefined; r(); }; });
    await sh('i=0; while [ $i -lt 300 ]; do cat /etc/hostname /etc/passwd; i=$((i+1)); done > /dev/null');
    await new Promise((r) => setTimeout(r, 1500)); // a stats line from the loader's thread
    // the chunks already buffered when the hold began are done; from here on nothing moves
    const heldAt = engine.counters.eventsRead;
    await sh('i=0; while [ $i -lt 100 ]; do cat /etc/hostname; i=$((i+1)); done > /dev/null');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(engine.counters.eventsRead, heldAt, 'no events were read while the engine was held');
    assert.ok(s.stream!.readableLength <= 1 << 17, `bounded buffering in this process: ${s.stream!.readableLength} bytes`);
    assert.ok(s.stats.lost > 0, `the ring buffer overflowed and the losses were counted in the kernel: ${JSON.stringify(s.stats)}`);
    release();
    await sh('cat /etc/hostname > /dev/null');
    for (let i = 0; i < 100 && engine.counters.eventsRead === heldAt; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(engine.counters.eventsRead > heldAt, 'the engine reads again once released');
  } finally {
    release();
    await s.stop();
    await running.catch(() => undefined);
  }
  assert.ok(engine.counters.alerts > 0, 'rules still matched after the backlog');
});
