/**
 * falco.yaml's `priority` and `rule_matching` in the detection commands (-c, -o overrides,
 * --min-priority / --rule-matching winning over both), their CONFIG_* errors, and the drain
 * wait (--drain-timeout, outbox.drain_timeout_seconds). Real child-process CLI runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { projectPath } from '../core/index.ts';
import { needConformance } from '../../test/conformance/helpers.ts';

const k8sRules = needConformance('falco', 'rules', 'k8s_audit_rules.yaml');
const k8sData = needConformance('falco', 'k8saudit');
const scap = needConformance('falco', 'scap');
const env = { ...process.env, FALCO_HOSTNAME: 'test-host' };
const SEVERITY = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'];

function vigil(...args: string[]) {
  return spawnSync(process.execPath, [projectPath('bin', 'vigil.mjs'), ...args], { encoding: 'utf8', env, timeout: 120_000 });
}

/** The rule names of -o json alerts on stdout (as a sorted multiset). */
function rulesOf(stdout: string): string[] {
  return stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { rule: string }).rule).sort();
}

/** Severity index of each rule's priority as the rules file declares it (Falco: case-insensitive, info = informational). */
function rulePriorities(file: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const item of parse(readFileSync(file, 'utf8')) as Record<string, unknown>[]) {
    if (typeof item.rule === 'string' && typeof item.priority === 'string') {
      const p = item.priority.toLowerCase();
      m.set(item.rule, SEVERITY.indexOf(p === 'info' ? 'informational' : p));
    }
  }
  return m;
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'vigil-rule-selection-'));
}

test('priority from -c (case-insensitive) keeps exactly the audit alerts of rules at or above it; -o and --min-priority win', { skip: k8sRules.skip || k8sData.skip, timeout: 300_000 }, () => {
  const dir = tmp();
  try {
    // every shared audit input in one log: one replay sees all the official rules' known alerts
    const log = join(dir, 'all.json');
    const inputs = readdirSync(k8sData.path).filter((f) => f.endsWith('.json') && !f.startsWith('expected'));
    const lines = inputs.flatMap((f) => readFileSync(join(k8sData.path, f), 'utf8').split('\n').filter(Boolean));
    // audit events only (one input is deliberately not an event)
    const events = lines.filter((l) => ['Event', 'EventList'].includes((JSON.parse(l) as { kind?: string }).kind ?? ''));
    writeFileSync(log, events.join('\n') + '\n');
    const config = join(dir, 'falco.yaml');
    writeFileSync(config, 'priority: WARNING\nappend_output: []\nstdout_output: {enabled: true}\nsyslog_output: {enabled: false}\n');
    const prio = rulePriorities(k8sRules.path);
    const all = vigil('replay', '-q', '-o', 'json', '-r', k8sRules.path, log);
    assert.equal(all.status, 0, all.stderr);
    const every = rulesOf(all.stdout);
    const atOrAbove = (p: string) => every.filter((r) => prio.get(r)! <= SEVERITY.indexOf(p));
    // the threshold must cut something and keep something, or the test proves nothing
    assert.ok(atOrAbove('warning').length > 0 && atOrAbove('warning').length < every.length, every.join('\n'));
    for (const cmd of [['replay'], ['k8saudit', 'replay']]) {
      const fromFile = vigil(...cmd, '-q', '-o', 'json', '-c', config, '-r', k8sRules.path, log);
      assert.equal(fromFile.status, 0, fromFile.stderr);
      assert.deepEqual(rulesOf(fromFile.stdout), atOrAbove('warning'), `${cmd.join(' ')} -c priority: WARNING`);
    }
    const override = vigil('k8saudit', 'replay', '-q', '-o', 'json', '-c', config, '-o', 'priority=notice', '-r', k8sRules.path, log);
    assert.equal(override.status, 0, override.stderr);
    assert.deepEqual(rulesOf(override.stdout), atOrAbove('notice'), '-o priority=notice wins over the file');
    const flag = vigil('replay', '-q', '-o', 'json', '-c', config, '-o', 'priority=notice', '--min-priority', 'Error', '-r', k8sRules.path, log);
    assert.equal(flag.status, 0, flag.stderr);
    assert.deepEqual(rulesOf(flag.stdout), atOrAbove('error'), '--min-priority wins over -o and the file');
    assert.ok(atOrAbove('error').length < atOrAbove('notice').length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('syscall replay: rule_matching and priority from -c, --rule-matching wins', { skip: scap.skip, timeout: 300_000 }, () => {
  const dir = tmp();
  try {
    const rules = join(dir, 'two.yaml');
    // both rules match every open of cat; the first is below warning
    const cond = 'evt.type in (open, openat) and proc.name = cat';
    writeFileSync(rules, [
      `- rule: cat open notice\n  desc: d\n  condition: ${cond}\n  output: "n %fd.name"\n  priority: NOTICE\n`,
      `- rule: cat open warning\n  desc: d\n  condition: ${cond}\n  output: "w %fd.name"\n  priority: WARNING\n`,
    ].join(''));
    const capture = join(scap.path, 'falco-0.34.1', 'cat_write.scap');
    const cfg = (name: string, text: string) => {
      writeFileSync(join(dir, name), `${text}\nappend_output: []\nsyslog_output: {enabled: false}\n`);
      return join(dir, name);
    };
    const run = (...a: string[]) => {
      const r = vigil('replay', '-q', '-o', 'json', '-r', rules, ...a, capture);
      assert.equal(r.status, 0, r.stderr);
      return rulesOf(r.stdout);
    };
    const first = run();
    assert.ok(first.length > 0);
    assert.deepEqual(new Set(first), new Set(['cat open notice']));
    const all = cfg('all.yaml', 'rule_matching: all');
    assert.deepEqual(run('-c', all), [...first, ...first.map(() => 'cat open warning')].sort(), 'rule_matching: all fires both rules');
    assert.deepEqual(run('-c', all, '--rule-matching', 'first'), first, '--rule-matching wins over the file');
    assert.deepEqual(run('-o', 'rule_matching=all'), run('-c', all), '-o rule_matching=all as in Falco');
    const warn = cfg('warn.yaml', 'priority: warning');
    assert.deepEqual(run('-c', warn), first.map(() => 'cat open warning'), 'the notice rule is not loaded');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad priority / rule_matching / drain timeout: CONFIG_* with file:line:col or flag and JSON path, exit 2, nothing started', { timeout: 300_000 }, () => {
  const dir = tmp();
  try {
    const rules = join(dir, 'r.yaml');
    writeFileSync(rules, '- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: WARNING\n');
    // every problem of the file is reported at once: one run per command covers the three keys
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'json_output: true\npriority: loud\nrule_matching: some\noutbox:\n  drain_timeout_seconds: -1\n');
    const token = join(dir, 'token');
    writeFileSync(token, 't\n');
    const data = join(dir, 'up-data');
    const commands: string[][] = [
      ['replay', '-r', rules, join(dir, 'none.scap')],
      ['k8saudit', 'replay', '-r', rules, join(dir, 'none.json')],
      ['k8saudit', 'serve', '-r', rules, '--listen', '127.0.0.1:0', '--token-file', token],
      ['run', '-r', rules],
      ['up', '-r', rules, '--no-live', '--listen', '127.0.0.1:0', '--data', data],
    ];
    for (const cmd of commands) {
      const name = cmd.slice(0, cmd[0] === 'k8saudit' ? 2 : 1).join(' ');
      const p = vigil(...cmd, '-c', bad);
      assert.equal(p.status, 2, `${name}: ${p.stderr}`);
      assert.match(p.stderr, /bad\.yaml:2:11 \$\.priority: error CONFIG_INVALID_VALUE/, name);
      assert.match(p.stderr, /bad\.yaml:3:16 \$\.rule_matching: error CONFIG_INVALID_VALUE/, name);
      assert.match(p.stderr, /bad\.yaml:5:26 \$\.outbox\.drain_timeout_seconds: error CONFIG_OUT_OF_RANGE/, name);
      assert.doesNotMatch(p.stderr, /listening|ready|attached/, name);
      const f = vigil(...cmd, '--min-priority', 'loud', '--rule-matching', 'some');
      assert.equal(f.status, 2, `${name}: ${f.stderr}`);
      assert.match(f.stderr, /--min-priority \$\.priority: error CONFIG_INVALID_VALUE/, name);
      assert.match(f.stderr, /--rule-matching \$\.rule_matching: error CONFIG_INVALID_VALUE/, name);
      if (cmd[0] !== 'up') {
        const d = vigil(...cmd, '--drain-timeout', 'soon');
        assert.equal(d.status, 2, `${name}: ${d.stderr}`);
        assert.match(d.stderr, /--drain-timeout \$\.outbox\.drain_timeout_seconds: error CONFIG_INVALID_VALUE/, name);
      }
    }
    assert.ok(!existsSync(data), 'vigil up created nothing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
