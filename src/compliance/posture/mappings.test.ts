// Cross-checks our framework mappings against kubescape's public framework metadata (when the
// shared conformance data is present): a kubescape control we reference must exist, and if
// kubescape puts it in its NSA, MITRE or CIS v1.12 framework, our control must map there too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformancePath } from '../../core/index.ts';
import { controls } from './controls/index.ts';

const base = conformancePath('posture', 'kubescape');
if (!base)
  console.log('# SKIP conformance data posture/kubescape not found: skipping mapping cross-check');

test(
  'mappings agree with kubescape framework metadata',
  { skip: !base && 'no posture/kubescape data' },
  () => {
    const fw = (f: string) =>
      JSON.parse(readFileSync(join(base!, 'frameworks', f), 'utf8')) as {
        activeControls: { controlID: string; patch?: { name?: string } }[];
      };
    const nsa = new Set(fw('nsaframework.json').activeControls.map((c) => c.controlID));
    const mitre = new Set(fw('mitre.json').activeControls.map((c) => c.controlID));
    const cis = new Map<string, string[]>();
    for (const c of fw('cis-v1.12.0.json').activeControls) {
      const m = /CIS-(\d+(?:\.\d+)*)/.exec(c.patch?.name ?? '');
      if (m) cis.set(c.controlID, [...(cis.get(c.controlID) ?? []), m[1]!]);
    }
    const known = new Set(readdirSync(join(base!, 'controls')).map((f) => f.slice(0, 6)));
    const problems: string[] = [];
    let checked = 0;
    for (const c of controls) {
      for (const k of c.mappings.kubescape ?? []) {
        checked++;
        if (!known.has(k)) problems.push(`${c.id}: ${k} unknown`);
        if (nsa.has(k) && !c.mappings.nsa?.length)
          problems.push(`${c.id}: ${k} is in NSA, no NSA mapping`);
        if (mitre.has(k) && !c.mappings.mitre?.length)
          problems.push(`${c.id}: ${k} is in MITRE, no MITRE mapping`);
        const kc = cis.get(k) ?? [];
        if (kc.length && !kc.some((x) => c.mappings.cis?.includes(x)))
          problems.push(
            `${c.id}: ${k} is CIS ${kc.join('/')}, ours ${c.mappings.cis?.join('/') ?? 'none'}`,
          );
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(checked >= 40, `${checked} cross-references`);
  },
);
