/**
 * `vigil up -c`: falco.yaml's `priority` selects the rules every detector of the server loads
 * (webhook, live, API replays); `--min-priority` wins over it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { needConformance } from '../conformance/helpers.ts';
import { startVigil } from './support.ts';

const k8sRules = needConformance('falco', 'rules', 'k8s_audit_rules.yaml');
const SEVERITY = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'];

/** How many rules of the file are at or above `threshold`, from their declared priorities. */
function rulesAtOrAbove(file: string, threshold: string): number {
  const items = parse(readFileSync(file, 'utf8')) as { rule?: string; priority?: string }[];
  return items.filter((i) => i.rule && i.priority && SEVERITY.indexOf(i.priority.toLowerCase() === 'info' ? 'informational' : i.priority.toLowerCase()) <= SEVERITY.indexOf(threshold)).length;
}

/** Starts vigil up and returns the k8s_audit rule count of its rules step, then stops it. */
async function loadedAuditRules(dir: string, name: string, args: string[]): Promise<number> {
  const v = startVigil(['up', '--no-live', '--listen', '127.0.0.1:0', '--data', join(dir, name), '-r', k8sRules.path, ...args]);
  try {
    const line = await v.stderrLine(/step \d+\/\d+ rules: /);
    await v.stderrLine(/step \d+\/\d+ http: /);
    return Number(/(\d+) k8s_audit\)/.exec(line)![1]);
  } finally {
    v.child.kill('SIGTERM');
    await v.exited;
  }
}

test('vigil up -c priority: warning loads the rules at or above it; --min-priority wins', { skip: k8sRules.skip, timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-up-priority-'));
  try {
    const config = join(dir, 'falco.yaml');
    writeFileSync(config, 'priority: Warning\nappend_output: []\nsyslog_output: {enabled: false}\nstdout_output: {enabled: false}\n');
    const warning = rulesAtOrAbove(k8sRules.path, 'warning');
    const error = rulesAtOrAbove(k8sRules.path, 'error');
    assert.ok(error > 0 && error < warning && warning < rulesAtOrAbove(k8sRules.path, 'debug'));
    assert.equal(await loadedAuditRules(dir, 'a', ['-c', config]), warning);
    assert.equal(await loadedAuditRules(dir, 'b', ['-c', config, '--min-priority', 'error']), error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
