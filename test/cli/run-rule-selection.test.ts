/**
 * `vigil run -c` (root and the built sensor; skipped with the reason otherwise): falco.yaml's
 * `priority` and `rule_matching` select and match the live rules; `--rule-matching` wins.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sensorSkip } from '../sensor/support.ts';
import { startVigil } from './support.ts';

const skipLive = sensorSkip();

/** Runs `vigil run` until one marker open printed `until`; its stdout lines about that marker. */
async function liveLines(dir: string, rules: string, args: string[], marker: string, until: RegExp): Promise<string[]> {
  const v = startVigil(['run', '--no-containers', '-r', rules, ...args]);
  try {
    await v.stderrLine(/vigil-sensor: attached/);
    writeFileSync(join(dir, marker), marker);
    execFileSync('cat', [join(dir, marker)]);
    await v.stdoutLine(until);
    v.child.kill('SIGTERM');
    assert.equal(await v.exited, 0, v.err.slice(-20).join('\n'));
  } finally {
    v.child.kill('SIGKILL');
  }
  return v.out.filter((l) => l.includes(`${dir}/${marker}`));
}

test('vigil run -c: priority drops the rules below it, rule_matching: all fires every loaded rule, --rule-matching first wins', { skip: skipLive, timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-run-select-'));
  try {
    const rules = join(dir, 'rules.yaml');
    const cond = `evt.type in (open, openat) and fd.name startswith ${dir}/marker and proc.name = cat`;
    // in this order: with rule_matching first, the first loaded rule takes the event
    writeFileSync(rules, ['Notice', 'Warning', 'Error'].map((p) => `- rule: marker ${p}\n  desc: d\n  condition: ${cond}\n  output: "rule-${p} %fd.name"\n  priority: ${p.toUpperCase()}\n`).join(''));
    const config = join(dir, 'falco.yaml');
    writeFileSync(config, 'priority: warning\nrule_matching: all\nappend_output: []\nsyslog_output: {enabled: false}\n');
    const all = await liveLines(dir, rules, ['-c', config], 'marker-1', /rule-Error .*marker-1/);
    assert.deepEqual(all.map((l) => /rule-(\w+)/.exec(l)![1]), ['Warning', 'Error'], all.join('\n'));
    const first = await liveLines(dir, rules, ['-c', config, '--rule-matching', 'first'], 'marker-2', /rule-Warning .*marker-2/);
    assert.deepEqual(first.map((l) => /rule-(\w+)/.exec(l)![1]), ['Warning'], first.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
