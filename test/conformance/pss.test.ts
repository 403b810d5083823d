// Pod Security Admission's fixture suite: every pod's verdict matches its folder at its level
// and version, and a denied pod is denied by the check its file name names (or by the
// restricted check that overrides that baseline check at that version).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { needConformance } from './helpers.ts';
import { checkManifestText, parseLevel, parseVersion, pssChecks } from '../../src/compliance/index.ts';

interface Entry {
  path: string;
  level: string;
  version: string;
  expect: 'allow' | 'deny';
  check: string | null;
  expectErrorSubstring: string | null;
}

const { path: root, skip } = needConformance('pss', 'INDEX.derived.json');

/** The ids that may report a violation named after `check` at version `v` (the check or its overrider). */
function acceptableIds(check: string, v: number): Set<string> {
  const ids = new Set([check]);
  for (const c of pssChecks) {
    let pick;
    for (const vc of c.versions) if (vc.minVersion <= v) pick = vc;
    if (pick?.overrides?.includes(check)) ids.add(c.id);
  }
  return ids;
}

test('PSA fixtures: verdict and failing check per level/version', { skip }, () => {
  const index = JSON.parse(readFileSync(root, 'utf8')) as Entry[];
  const base = join(root, '..');
  let passed = 0;
  const failures: string[] = [];
  for (const e of index) {
    const text = readFileSync(join(base, e.path), 'utf8');
    const v = parseVersion(e.version);
    const { results, diagnostics } = checkManifestText(text, e.path, parseLevel(e.level), v);
    const r = results[0];
    let problem = '';
    if (results.length !== 1 || diagnostics.length) problem = `expected one object, got ${results.length} (${diagnostics.map((d) => d.code).join(',')})`;
    else if (e.expect === 'allow' && !r!.allowed) problem = `denied: ${JSON.stringify(r!.violations)}`;
    else if (e.expect === 'deny') {
      if (r!.allowed) problem = 'allowed';
      else if (e.check) {
        const ok = acceptableIds(e.check, v);
        const hit = r!.violations.find((x) => ok.has(x.check));
        if (!hit) problem = `wrong check: ${r!.violations.map((x) => x.check).join(',')} (wanted ${e.check})`;
        else if (e.expectErrorSubstring && !hit.message.includes(e.expectErrorSubstring)) problem = `message '${hit.message}' lacks '${e.expectErrorSubstring}'`;
      }
    }
    if (problem) failures.push(`${e.path}: ${problem}`);
    else passed++;
  }
  console.log(`# PSS conformance ${passed}/${index.length}`);
  assert.deepEqual(failures.slice(0, 8).map((f) => f.slice(0, 300)), []);
  assert.equal(passed, index.length);
});
