import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syscallTable } from '../../index.ts';
import { nul, runScenario, Scenario, tuple4 } from './fixture.ts';
import type { SyscallEvent } from './process.ts';

const table = syscallTable();
/** Extracts a field as written in a rule (with [arg] or dotted forms). */
function f(ev: SyscallEvent, name: string): unknown {
  const m = /^([^[]+)(?:\[(.*)\])?$/.exec(name)!;
  const r = table.lookup(m[1]);
  assert.ok(r, `unknown field ${name}`);
  return r.def.extract!(ev, m[2] ?? r.impliedArg);
}

const DOCKER = 'a'.repeat(12) + 'b'.repeat(52);
const base = () =>
  new Scenario([
    { tid: 1, pid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init', exepath: '/usr/lib/systemd/systemd' },
    { tid: 100, pid: 100, ptid: 1, comm: 'bash', exe: 'bash', exepath: '/bin/bash', args: ['-l'], cwd: '/root/' },
  ]);

test('clone + execve build the process tree: cmdline, exepath, ancestors, user, container', () => {
  const s = base()
    .clone(200, 200, 100, 'bash')
    .execve(200, 200, 100, '/usr/bin/cat', ['/etc/shadow'], { cwd: '/etc', cgroups: [`cpuset=/docker/${DOCKER}`], tty: 34816 })
    .ev('PPME_SYSCALL_OPENAT_2_X', 200, [3, -100, 'shadow', 1 | (1 << 12), 0, 0, 7n]);
  const { events } = runScenario(s.bytes());
  const open = events[events.length - 1];
  assert.equal(f(open, 'evt.type'), 'openat');
  assert.equal(f(open, 'proc.name'), 'cat');
  assert.equal(f(open, 'proc.cmdline'), 'cat /etc/shadow');
  assert.equal(f(open, 'proc.args'), '/etc/shadow');
  assert.equal(f(open, 'proc.exepath'), '/usr/bin/cat');
  assert.equal(f(open, 'proc.pname'), 'bash');
  assert.equal(f(open, 'proc.pcmdline'), 'bash -l');
  assert.equal(f(open, 'proc.aname[1]'), 'bash');
  assert.equal(f(open, 'proc.aname[2]'), 'systemd');
  assert.equal(f(open, 'proc.aname[3]'), undefined);
  // without a level: the process's own name when printed; conditions test every ancestor (below)
  assert.equal(f(open, 'proc.aname'), 'cat');
  assert.deepEqual(table.lookup('proc.aname')!.def.anyOf!(open), ['bash', 'systemd']);
  assert.deepEqual(table.lookup('proc.apid')!.def.anyOf!(open), [100, 1]);
  assert.equal(f(open, 'proc.apid[2]'), 1);
  assert.equal(f(open, 'proc.tty'), 34816);
  assert.equal(f(open, 'user.name'), 'root');
  assert.equal(f(open, 'user.loginuid'), 1000);
  assert.equal(f(open, 'container.id'), 'aaaaaaaaaaaa');
  assert.equal(f(open, 'fd.name'), '/etc/shadow');
  assert.equal(f(open, 'fd.directory'), '/etc');
  assert.equal(f(open, 'fd.filename'), 'shadow');
  assert.equal(f(open, 'fd.typechar'), 'f');
  assert.equal(f(open, 'fd.num'), 3);
  assert.equal(f(open, 'evt.arg.flags'), 'O_RDONLY|O_CLOEXEC');
  assert.equal(f(open, 'evt.rawarg.flags'), 1 | (1 << 12));
  assert.equal(f(open, 'evt.is_open_read'), true);
  assert.equal(f(open, 'evt.is_open_write'), false);
  assert.equal(f(open, 'evt.res'), 'SUCCESS');
  assert.equal(f(open, 'thread.cap_permitted')?.toString().includes('CAP_SYS_ADMIN'), true);
});

test('sockets: connect tuple, client/server and local/remote endpoints, l4proto; dup2 and close', () => {
  const s = base()
    .ev('PPME_SOCKET_SOCKET_X', 100, [4, 2, 1, 0, 0])
    .ev('PPME_SOCKET_CONNECT_X', 100, [0, tuple4('10.0.0.5', 40000, '93.184.216.34', 443), 4])
    .ev('PPME_SYSCALL_DUP2_X', 100, [9, 4, 9])
    .ev('PPME_SYSCALL_CLOSE_X', 100, [0, 4])
    .ev('PPME_SYSCALL_CLOSE_X', 100, [0, 4]);
  const seen: unknown[] = [];
  const { events } = runScenario(s.bytes(), {}, (ev) => seen.push(f(ev, 'fd.name')));
  const [sock, conn, dup, close, close2] = events;
  assert.equal(f(sock, 'fd.type'), 'ipv4');
  assert.equal(seen[0], '', 'a fresh socket has no name until it connects');
  assert.equal(f(conn, 'fd.name'), '10.0.0.5:40000->93.184.216.34:443');
  assert.equal(f(conn, 'fd.sip'), (93 << 24 >>> 0) + (184 << 16) + (216 << 8) + 34);
  assert.equal(f(conn, 'fd.sport'), 443);
  assert.equal(f(conn, 'fd.cport'), 40000);
  assert.equal(f(conn, 'fd.rport'), 443);
  assert.equal(f(conn, 'fd.lport'), 40000);
  assert.equal(f(conn, 'fd.l4proto'), 'tcp');
  assert.equal(f(conn, 'fd.sockfamily'), 'ip');
  assert.equal(f(conn, 'fd.connected'), true);
  assert.equal(f(conn, 'evt.arg.tuple'), '10.0.0.5:40000->93.184.216.34:443');
  assert.equal(f(dup, 'fd.num'), 9);
  assert.equal(f(dup, 'fd.name'), '10.0.0.5:40000->93.184.216.34:443');
  // the closing event still names what it closed; afterwards the fd is gone
  assert.equal(f(close, 'fd.name'), '10.0.0.5:40000->93.184.216.34:443');
  assert.equal(f(close2, 'fd.name'), '');
  assert.equal(f(close2, 'fd.type'), undefined);
});

test('failed calls: evt.res names the errno, evt.failed, the null-fd name is the path argument', () => {
  const s = base().ev('PPME_SYSCALL_OPENAT_2_X', 100, [-2, -100, 'missing.txt', 1, 0, 0, 0n]);
  const [ev] = runScenario(s.bytes()).events;
  assert.equal(f(ev, 'evt.res'), 'ENOENT');
  assert.equal(f(ev, 'evt.rawres'), -2);
  assert.equal(f(ev, 'evt.failed'), true);
  assert.equal(f(ev, 'fd.name'), '/root/missing.txt');
});

test('procexit purges the thread at the next event; the exit event itself still sees it', () => {
  const s = base().clone(300, 300, 100, 'sleep').ev('PPME_PROCEXIT_1_E', 300, [0, 0, 0, 0, 1]).ev('PPME_SYSCALL_CLOSE_X', 100, [0, 5]);
  const { st, events } = runScenario(s.bytes());
  assert.equal(f(events[1], 'proc.name'), 'sleep');
  assert.equal(st.thread(300), undefined);
  assert.equal(st.counters.threadsRemoved, 1);
});

test('the thread table is bounded: the oldest threads are evicted', () => {
  const s = base();
  for (let i = 0; i < 50; i++) s.clone(1000 + i, 1000 + i, 100, 'worker');
  const { st } = runScenario(s.bytes(), { maxThreads: 16 });
  assert.ok(st.threads.size <= 16);
  assert.ok(st.counters.threadsEvicted >= 34);
  assert.ok(st.thread(1049));
});

test('container JSON events give container.* and k8s.* fields', () => {
  const json = JSON.stringify({
    container: {
      id: DOCKER, type: 7, name: 'k8s_nginx', image: 'docker.io/library/nginx:1.25', privileged: true,
      Mounts: [{ Source: '/var/run/docker.sock', Destination: '/var/run/docker.sock', Mode: '', RW: true, Propagation: 'rprivate' }],
      labels: { 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.name': 'web-1' },
    },
  });
  const s = base()
    .ev('PPME_CONTAINER_JSON_2_E', -1, [json])
    .clone(400, 400, 100, 'bash')
    .execve(400, 400, 100, '/bin/sh', ['-c', 'id'], { cgroups: [`cpuset=/kubepods/pod1/${DOCKER}`] });
  const { events } = runScenario(s.bytes());
  const ev = events[events.length - 1];
  assert.equal(f(ev, 'container.id'), DOCKER.slice(0, 12));
  assert.equal(f(ev, 'container.name'), 'k8s_nginx');
  assert.equal(f(ev, 'container.image.repository'), 'docker.io/library/nginx');
  assert.equal(f(ev, 'container.image.tag'), '1.25');
  assert.equal(f(ev, 'container.privileged'), true);
  assert.equal(f(ev, 'container.mount.dest[/var/run/docker.sock]'), '/var/run/docker.sock');
  assert.equal(f(ev, 'container.mount.dest[/etc]'), 'N/A');
  assert.equal(f(ev, 'k8s.ns.name'), 'default');
  assert.equal(f(ev, 'k8s.pod.name'), 'web-1');
  assert.equal(f(ev, 'proc.cmdline'), 'sh -c id');
});

test('old captures: exit events take missing parameters from their enter event', () => {
  const s = base()
    .ev('PPME_SYSCALL_OPEN_E', 100, ['/etc/hosts', 1, 0])
    .ev('PPME_SYSCALL_OPEN_X', 100, [5]);
  const [enter, exit] = runScenario(s.bytes()).events;
  assert.equal(f(enter, 'evt.dir'), '>');
  assert.equal(f(exit, 'evt.arg.name'), '/etc/hosts');
  assert.equal(f(exit, 'fd.name'), '/etc/hosts');
  assert.equal(f(exit, 'evt.arg[0]'), '<f>/etc/hosts');
  assert.equal(f(exit, 'evt.args'), 'fd=5(<f>/etc/hosts)');
  void nul;
});

test('users and groups from /etc/passwd and /etc/group, per container', () => {
  const s = base().clone(500, 500, 100, 'bash').execve(500, 500, 100, '/bin/ls', [], { uid: 33, cgroups: [`cpuset=/docker/${DOCKER}`] });
  const { st, events } = runScenario(s.bytes());
  const ev = events[events.length - 1];
  assert.equal(f(ev, 'user.name'), undefined);
  st.importPasswd('root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n', 'root:x:0:\nwww-data:x:33:\n');
  assert.equal(f(ev, 'user.name'), 'www-data');
  assert.equal(f(ev, 'user.homedir'), '/var/www');
  assert.equal(f(ev, 'group.name'), 'root', 'the gid stays the one inherited at clone');
  st.importPasswd('app:x:33:33::/app:/bin/sh\n', '', DOCKER.slice(0, 12));
  assert.equal(f(ev, 'user.name'), 'app', 'container users win inside the container');
});

test('fd.name_changed: true on the event that names the socket, false afterwards', () => {
  const changed: unknown[] = [];
  const s = base()
    .ev('PPME_SOCKET_SOCKET_X', 100, [5, 2, 2, 17, 0])
    .ev('PPME_SOCKET_SENDTO_X', 100, [10, Buffer.from('hello'), 5, 10, tuple4('10.0.0.5', 5000, '8.8.8.8', 53)])
    .ev('PPME_SOCKET_SENDTO_X', 100, [10, Buffer.from('hello'), 5, 10, tuple4('10.0.0.5', 5000, '8.8.8.8', 53)]);
  runScenario(s.bytes(), {}, (ev) => changed.push([f(ev, 'fd.name_changed'), f(ev, 'fd.name'), f(ev, 'fd.l4proto')]));
  assert.deepEqual(changed, [
    [false, '', undefined],
    [true, '10.0.0.5:5000->8.8.8.8:53', 'udp'],
    [false, '10.0.0.5:5000->8.8.8.8:53', 'udp'],
  ]);
});

test('evt.arg of uid parameters resolves the user name; userfaultfd is an ordinary numbered event', () => {
  const seen: unknown[] = [];
  const s = base()
    .ev('PPME_SYSCALL_SETUID_X', 100, [0, 33])
    .ev('PPME_SYSCALL_USERFAULTFD_X', 100, [7, 0]);
  // the capture's user list knows only root: uid 33 renders as its number
  runScenario(s.bytes(), {}, (ev) => seen.push([ev.e.num, f(ev, 'evt.type'), f(ev, 'evt.arg.uid')]));
  assert.deepEqual(seen, [[1, 'setuid', '33'], [2, 'userfaultfd', undefined]]);
  const withUser = new Scenario(
    [{ tid: 100, pid: 100, ptid: 1, comm: 'bash', exe: 'bash' }],
    [{ uid: 33, gid: 33, name: 'www-data' }],
  ).ev('PPME_SYSCALL_SETUID_X', 100, [0, 33]);
  const names: unknown[] = [];
  runScenario(withUser.bytes(), {}, (ev) => names.push(f(ev, 'evt.arg.uid'), f(ev, 'user.name')));
  assert.deepEqual(names, ['www-data', 'www-data']);
});
