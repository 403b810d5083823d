import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controls } from './index.ts';
import { scanObjects } from '../scan.ts';

const config = { allowedRegistries: ['registry.example.com/'] };

test('at least 40 controls, unique sorted ids, complete metadata', () => {
  assert.ok(controls.length >= 40, `${controls.length} controls`);
  const ids = controls.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual([...ids].sort(), ids);
  for (const c of controls) {
    assert.ok(c.name && c.description && c.remediation, c.id);
    assert.ok(['critical', 'high', 'medium', 'low'].includes(c.severity), c.id);
  }
});

for (const c of controls) {
  test(`${c.id} ${c.name}: passing example passes, failing example fails`, () => {
    const pass = scanObjects(c.examples.pass, { controls: [c], config }).controls[0]!;
    assert.equal(pass.failed, 0, JSON.stringify(pass.resources));
    assert.ok(pass.passed > 0, `${c.id} passing example has no subject`);
    const fail = scanObjects(c.examples.fail, { controls: [c], config }).controls[0]!;
    assert.equal(fail.status, 'failed');
    assert.ok(fail.resources[0]!.messages.length > 0);
  });
}

test('hardened examples pass every workload control at once', () => {
  // the passing example of VP-001 is the fully hardened Deployment; only cluster-scope controls may fail on it
  const r = scanObjects(controls[20]!.examples.pass, { config });
  const failing = r.controls.filter((c) => c.status === 'failed').map((c) => c.id);
  assert.deepEqual(failing, ['VC-015', 'VC-016']);
});
