// Bad shapes never crash: every control example and PSS fixture-like pod, with random subtrees
// replaced by wrong types, goes through PSS (every level/version) and every posture control.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controls, scanObjects, type PostureReport } from './posture/index.ts';
import { checkObjects } from './pss/index.ts';
import type { KubeObject } from './manifests/index.ts';

const weird: unknown[] = [null, 0, -1, 'x', '', true, [], {}, [null], [1, 'a'], { a: null }];

/** A small deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(v: unknown, r: () => number, depth = 0): unknown {
  if (depth > 0 && r() < 0.15) return weird[Math.floor(r() * weird.length)];
  if (Array.isArray(v)) return v.map((x) => mutate(x, r, depth + 1));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = mutate(x, r, depth + 1);
    return out;
  }
  return v;
}

for (const seed of [7, 11, 13, 17, 19, 23])
  test(`PSS and every posture control survive 1,500 randomly broken objects (seed ${seed})`, () => {
    const seeds = controls.flatMap((c) => [...c.examples.pass, ...c.examples.fail]);
    const r = rng(seed);
    const objs: KubeObject[] = [];
    for (let i = 0; i < 1500; i++) {
      const m = mutate(seeds[i % seeds.length], r) as KubeObject;
      // keep kind so the object reaches the checks for its kind
      objs.push({ ...m, kind: seeds[i % seeds.length]!.kind });
    }
    const manifest = objs.map((obj, i) => ({ obj, file: 'fuzz', doc: i, line: 1 }));
    for (const level of ['baseline', 'restricted'] as const) {
      for (const v of [0, 8, 19, 22, 25, 31, 35, 37])
        assert.doesNotThrow(() => checkObjects(manifest, level, v));
    }
    let report: PostureReport | undefined;
    assert.doesNotThrow(() => (report = scanObjects(objs)));
    assert.equal(report!.controls.length, controls.length);
    const errors = report!.diagnostics
      .filter((d) => d.code === 'POSTURE_CHECK_ERROR')
      .map((d) => d.message);
    assert.deepEqual([...new Set(errors.map((e) => e.replace(/ on .*?: /, ': ')))], []);
  });
