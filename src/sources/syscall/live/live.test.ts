import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DropMonitor, parseStatsLine, sensorProblems } from './index.ts';

test('stats lines from the loader parse into counters per CPU', () => {
  const s = parseStatsLine('vigil-sensor: stats sent=120 lost=7 written=120 lost_cpu0=3 lost_cpu1=4');
  assert.deepEqual(s, { sent: 120, lost: 7, written: 120, lostPerCpu: [3, 4] });
  assert.equal(parseStatsLine('vigil-sensor: attached; 10 threads'), undefined);
});

test('drop alerts are raised on new losses only, rate limited by a token bucket', () => {
  let now = 1_700_000_000_000;
  const m = new DropMonitor(1 / 30, 1, () => now);
  assert.equal(m.observe({ sent: 100, lost: 0, written: 100, lostPerCpu: [0] }), undefined);
  const a = m.observe({ sent: 200, lost: 5, written: 200, lostPerCpu: [5] });
  assert.ok(a);
  assert.equal(a.rule, 'Falco internal: syscall event drop');
  assert.equal(a.source, 'internal');
  assert.equal(a.priority, 'Critical');
  assert.equal(a.output_fields.n_drops_buffer_total, 5);
  // within the same 30 s window a second loss is counted but not alerted
  now += 1000;
  assert.equal(m.observe({ sent: 300, lost: 9, written: 300, lostPerCpu: [9] }), undefined);
  now += 31_000;
  assert.ok(m.observe({ sent: 400, lost: 12, written: 400, lostPerCpu: [12] }));
});

test('prerequisite problems name what is missing and how to fix it', () => {
  const prev = process.env.VIGIL_SENSOR_BIN;
  process.env.VIGIL_SENSOR_BIN = '/nonexistent/vigil-sensor';
  try {
    const p = sensorProblems();
    const built = p.find((x) => x.code === 'SENSOR_NOT_BUILT');
    assert.ok(built);
    assert.match(built.message, /make -C sensor/);
  } finally {
    if (prev === undefined) delete process.env.VIGIL_SENSOR_BIN;
    else process.env.VIGIL_SENSOR_BIN = prev;
  }
});
