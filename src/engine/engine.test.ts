import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Alert } from '../core/index.ts';
import { Scenario } from '../sources/index.ts';
import { loadSyscallRulesText, SyscallEngine, summaryLines } from './index.ts';
import { needConformance } from '../../test/conformance/helpers.ts';

const rulesDir = needConformance('falco', 'rules');
const DOCKER = 'c'.repeat(64);

function scenario(): Scenario {
  return new Scenario([
    { tid: 1, pid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init', exepath: '/usr/lib/systemd/systemd' },
    { tid: 50, pid: 50, ptid: 1, comm: 'containerd-shim', exe: 'containerd-shim', exepath: '/usr/bin/containerd-shim', cgroups: [`cpuset=/docker/${DOCKER}`] },
  ]);
}

async function run(rules: { name: string; content: string }[], buf: Buffer, opts: { enterEvents?: boolean; ruleMatching?: 'first' | 'all' } = {}) {
  const { result, ruleset } = loadSyscallRulesText(rules, { ruleMatching: opts.ruleMatching });
  assert.deepEqual(result.errors, []);
  const alerts: Alert[] = [];
  const engine = new SyscallEngine(ruleset, { hostname: 'h', enterEvents: opts.enterEvents, onAlert: (a) => alerts.push(a) });
  const counters = await engine.run(Readable.from([buf]));
  return { alerts, counters };
}

const RULES = `
- rule: shadow read
  desc: test
  condition: evt.type in (open, openat) and fd.name = /etc/shadow and not proc.name in (passwd)
  output: shadow read by %proc.name (parent=%proc.pname file=%fd.name container=%container.id)
  priority: WARNING
  tags: [test]
- rule: any open
  desc: test
  condition: evt.type in (open, openat)
  output: open %fd.name
  priority: DEBUG
`;

test('a rule fires on the matching event only, with Falco output and JSON shape', async () => {
  const buf = scenario()
    .clone(60, 60, 50, 'containerd-shim')
    .execve(60, 60, 50, '/usr/bin/evil', [], { cgroups: [`cpuset=/docker/${DOCKER}`] })
    .ev('PPME_SYSCALL_OPENAT_2_X', 60, [3, -100, '/etc/shadow', 1, 0, 0, 0n])
    .ev('PPME_SYSCALL_OPENAT_2_X', 60, [4, -100, '/etc/hostname', 1, 0, 0, 0n])
    .bytes();
  const { alerts, counters } = await run([{ name: 'r.yaml', content: RULES }], buf);
  assert.equal(alerts.length, 2);
  const [a, b] = alerts;
  assert.equal(a.rule, 'shadow read');
  assert.equal(a.priority, 'Warning');
  assert.match(a.output, /^\d\d:\d\d:\d\d\.\d{9}: Warning shadow read by evil \(parent=containerd-shim file=\/etc\/shadow container=cccccccccccc\)$/);
  assert.equal(a.output_fields['fd.name'], '/etc/shadow');
  assert.deepEqual(a.tags, ['test']);
  assert.equal(b.rule, 'any open');
  assert.equal(counters.byRule.get('shadow read'), 1);
  assert.ok(summaryLines(counters).some((l) => l.includes('shadow read: 1')));
  const all = await run([{ name: 'r.yaml', content: RULES }], buf, { ruleMatching: 'all' });
  assert.equal(all.alerts.length, 3, 'rule_matching all: both rules on the shadow open');
});

test('official rules: Terminal shell in container fires for an interactive shell, not for a batch one', { skip: rulesDir.skip }, async () => {
  const official = [{ name: 'falco_rules.yaml', content: readFileSync(join(rulesDir.path, 'falco_rules.yaml'), 'utf8') }];
  const shell = scenario()
    .clone(70, 70, 50, 'containerd-shim')
    .execve(70, 70, 50, '/bin/bash', [], { cgroups: [`cpuset=/docker/${DOCKER}`], tty: 34816 })
    .bytes();
  const hit = await run(official, shell);
  assert.deepEqual(hit.alerts.map((a) => a.rule), ['Terminal shell in container']);
  assert.equal(hit.alerts[0].priority, 'Notice');
  const batch = scenario()
    .clone(70, 70, 50, 'containerd-shim')
    .execve(70, 70, 50, '/bin/bash', ['-c', 'true'], { cgroups: [`cpuset=/docker/${DOCKER}`], tty: 0 })
    .bytes();
  assert.deepEqual((await run(official, batch)).alerts.map((a) => a.rule), []);
});

test('official rules: Read sensitive file untrusted fires for an unknown program reading /etc/shadow', { skip: rulesDir.skip }, async () => {
  const official = [{ name: 'falco_rules.yaml', content: readFileSync(join(rulesDir.path, 'falco_rules.yaml'), 'utf8') }];
  const read = (who: string) =>
    scenario()
      .clone(80, 80, 50, 'containerd-shim')
      .execve(80, 80, 50, `/usr/local/bin/${who}`, [], { cgroups: [`cpuset=/docker/${DOCKER}`] })
      .ev('PPME_SYSCALL_OPENAT_2_X', 80, [3, -100, '/etc/shadow', 1, 0, 0, 0n])
      .bytes();
  assert.deepEqual((await run(official, read('stealer'))).alerts.map((a) => a.rule), ['Read sensitive file untrusted']);
  // sshd is a trusted reader of /etc/shadow
  assert.deepEqual((await run(official, read('sshd'))).alerts.map((a) => a.rule), []);
});

test('enter events reach the rules only when asked (Falco < 0.42 behaviour)', async () => {
  const buf = scenario().ev('PPME_SYSCALL_OPEN_E', 50, ['/etc/shadow', 1, 0]).ev('PPME_SYSCALL_OPEN_X', 50, [3]).bytes();
  assert.equal((await run([{ name: 'r.yaml', content: RULES }], buf)).alerts.length, 1);
  const both = await run([{ name: 'r.yaml', content: RULES.replace('fd.name = /etc/shadow', 'proc.name = containerd-shim') }], buf, { enterEvents: true });
  assert.equal(both.alerts.filter((a) => a.rule === 'shadow read').length, 2);
});

test('fuzz: mutated captures through state and the official rules end with a typed error or complete, never a crash', { skip: rulesDir.skip }, async () => {
  const official = ['falco_rules.yaml', 'falco-incubating_rules.yaml'].map((f) => ({ name: f, content: readFileSync(join(rulesDir.path, f), 'utf8') }));
  const { ruleset } = loadSyscallRulesText(official);
  const base = scenario()
    .clone(60, 60, 50, 'containerd-shim')
    .execve(60, 60, 50, '/bin/bash', ['-i'], { cgroups: [`cpuset=/docker/${DOCKER}`], tty: 1 })
    .ev('PPME_SOCKET_SOCKET_X', 60, [4, 2, 1, 0, 0])
    .ev('PPME_SYSCALL_OPENAT_2_X', 60, [3, -100, '/etc/shadow', 1, 0, 0, 0n])
    .ev('PPME_SYSCALL_CLOSE_X', 60, [0, 3])
    .bytes();
  let seed = 99;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  let typed = 0;
  for (let k = 0; k < 150; k++) {
    const m = Buffer.from(base);
    for (let j = 0; j < 1 + Math.floor(rnd() * 6); j++) m[Math.floor(rnd() * m.length)] = Math.floor(rnd() * 256);
    const engine = new SyscallEngine(ruleset, { hostname: 'h', onAlert: () => {} });
    try {
      await engine.run(Readable.from([m]));
    } catch (e) {
      assert.ok((e as { code?: string }).code?.startsWith('SCAP_'), String(e));
      typed++;
    }
  }
  assert.ok(typed > 0);
});
