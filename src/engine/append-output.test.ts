/**
 * append_output through the syscall engine with the real field tables: Falco 0.41's default
 * `[{suggested_output: true}]` appends the container plugin's suggested fields to syscall rules
 * (text and output_fields), and nothing to k8s_audit rules; extra_fields reach output_fields.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { Alert } from '../core/index.ts';
import { loadConfig } from '../core/index.ts';
import { Scenario } from '../sources/index.ts';
import { loadSyscallRulesText, SyscallEngine } from './index.ts';

const CID = 'e'.repeat(64);
const CG = [`cpuset=/kubepods/besteffort/pod1/${CID}`];

const RULES = `
- rule: shadow read
  desc: d
  condition: evt.type in (open, openat) and fd.name = /etc/shadow
  output: shadow read by %proc.name
  priority: WARNING
  tags: [filesystem]
- rule: audit get
  desc: d
  condition: ka.verb = get
  output: get by %ka.user.name
  priority: INFO
  source: k8s_audit
`;

function capture(): Buffer {
  const container = { container: { id: CID, type: 7, name: 'web', image: 'nginx:1.25', labels: { 'io.kubernetes.pod.name': 'web-0', 'io.kubernetes.pod.namespace': 'prod' } } };
  return new Scenario([
    { tid: 1, pid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init', exepath: '/usr/lib/systemd/systemd' },
    { tid: 50, pid: 50, ptid: 1, comm: 'containerd-shim', exe: 'containerd-shim', exepath: '/usr/bin/containerd-shim', cgroups: CG },
  ])
    .ev('PPME_CONTAINER_JSON_2_E', -1, [JSON.stringify(container)])
    .clone(70, 70, 50, 'x')
    .execve(70, 70, 50, '/usr/bin/cat', [], { cgroups: CG })
    .ev('PPME_SYSCALL_OPENAT_2_X', 70, [3, -100, '/etc/shadow', 1, 0, 0, 0n])
    .bytes();
}

async function run(appendOutput: unknown): Promise<{ alerts: Alert[]; outputs: Map<string, string> }> {
  const { result, ruleset } = loadSyscallRulesText([{ name: 'r.yaml', content: RULES }], { appendOutput });
  assert.deepEqual(result.errors, []);
  const alerts: Alert[] = [];
  await new SyscallEngine(ruleset, { hostname: 'h', onAlert: (a) => alerts.push(a) }).run(Readable.from([capture()]));
  return { alerts, outputs: new Map(result.rules.map((r) => [r.name, r.output])) };
}

const SUGGESTED = ' container_id=eeeeeeeeeeee container_name=web container_image_repository=nginx container_image_tag=1.25 k8s_pod_name=web-0 k8s_ns_name=prod';

test("Vigil's default configuration carries Falco 0.41's append_output", () => {
  assert.deepEqual(loadConfig({ text: '' }).config.append_output, [{ suggested_output: true }]);
  assert.deepEqual(loadConfig({ text: '', overrides: ['append_output=[]'] }).config.append_output, []);
});

test('suggested_output: the container plugin fields end syscall outputs and join output_fields', async () => {
  const { alerts, outputs } = await run(loadConfig({ text: '' }).config.append_output);
  assert.equal(alerts.length, 1);
  assert.ok(alerts[0]!.output.endsWith(`shadow read by cat${SUGGESTED}`), alerts[0]!.output);
  const f = alerts[0]!.output_fields;
  assert.equal(f['container.id'], 'eeeeeeeeeeee');
  assert.equal(f['container.image.repository'], 'nginx');
  assert.equal(f['k8s.ns.name'], 'prod');
  assert.equal(outputs.get('audit get'), 'get by %ka.user.name', 'k8s_audit suggests no fields');
});

test('append_output: [] keeps the legacy outputs (as the regression suite expects)', async () => {
  const { alerts } = await run([]);
  assert.match(alerts[0]!.output, /: Warning shadow read by cat$/);
  assert.deepEqual(Object.keys(alerts[0]!.output_fields), ['evt.time', 'proc.name']);
});

test('extra_output and extra_fields by tag through the engine', async () => {
  const { alerts } = await run([{ match: { tags: ['filesystem'] }, extra_output: 'file=%fd.name', extra_fields: ['proc.pid', { who: '%user.name/%proc.name' }] }]);
  const a = alerts[0]!;
  assert.match(a.output, /shadow read by cat file=\/etc\/shadow$/);
  assert.equal(a.output_fields['fd.name'], '/etc/shadow');
  assert.equal(a.output_fields['proc.pid'], 70);
  assert.equal(typeof a.output_fields.who, 'string');
  assert.match(a.output_fields.who as string, /\/cat$/);
});
