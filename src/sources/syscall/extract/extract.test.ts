import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRules } from '../../../rules/index.ts';
import { syscallTable } from '../../index.ts';
import { runScenario, Scenario, tuple4 } from '../state/fixture.ts';
import type { SyscallEvent } from '../state/index.ts';

const table = syscallTable();
/** A field as written in a rule (`proc.aname[2]`, `evt.arg.flags`), read from one event. */
function f(ev: SyscallEvent, name: string): unknown {
  const m = /^([^[]+)(?:\[(.*)\])?$/.exec(name)!;
  const r = table.lookup(m[1]!);
  assert.ok(r, `unknown field ${name}`);
  return r.def.extract!(ev, m[2] ?? r.impliedArg);
}

/** Reads `fields` of every event as the rules would see them at that event. */
function observe(s: Scenario, fields: string[], conditions: string[] = []): Record<string, unknown>[] {
  const rules = conditions.map((c, i) => `- rule: r${i}\n  desc: d\n  condition: ${c}\n  output: o\n  priority: INFO\n`).join('');
  const loaded = loadRules([{ name: 'r.yaml', content: rules }], { fieldTables: new Map([['syscall', table as never]]) });
  assert.equal(loaded.ok, true, JSON.stringify(loaded.errors));
  const rows: Record<string, unknown>[] = [];
  runScenario(s.bytes(), {}, (ev) => {
    const row: Record<string, unknown> = Object.fromEntries(fields.map((x) => [x, f(ev, x)]));
    loaded.rules.forEach((r, i) => { row[conditions[i]!] = (r.predicate as (e: SyscallEvent) => boolean)(ev); });
    rows.push(row);
  });
  return rows;
}

const procs = () => new Scenario([
  { tid: 1, pid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init', exepath: '/usr/lib/systemd/systemd' },
  { tid: 50, pid: 50, ptid: 1, comm: 'sshd', exe: '/usr/sbin/sshd', exepath: '/usr/sbin/sshd', env: ['SSH_AUTH_SOCK=/tmp/a', 'LANG=C'] },
  { tid: 100, pid: 100, ptid: 50, comm: 'bash', exe: 'bash', exepath: '/bin/bash', args: ['-l'], cwd: '/root/' },
]);

test('ancestor fields in conditions: any ancestor without a level, one level with [N]', () => {
  const s = procs().clone(200, 200, 100, 'bash').execve(200, 200, 100, '/usr/bin/id', []);
  const conds = ['proc.aname = sshd', 'proc.aname in (nginx, systemd)', 'proc.aname = id', 'proc.aname[2] = sshd', 'proc.apid = 50',
    'proc.aexepath = /usr/sbin/sshd', 'proc.aexe endswith sshd', 'proc.acmdline = "bash -l"', 'not proc.aname = sshd'];
  const last = observe(s, ['proc.aname', 'proc.apid', 'proc.aname[3]'], conds).at(-1)!;
  assert.equal(last['proc.aname'], 'id');
  assert.equal(last['proc.apid'], 200);
  assert.equal(last['proc.aname[3]'], 'systemd');
  assert.deepEqual(conds.map((c) => last[c]), [true, true, false, true, true, true, true, true, false]);
});

test('fd.nameraw is the open argument as given (duplicate slashes removed); fd.name is resolved', () => {
  const s = procs()
    .ev('PPME_SYSCALL_OPENAT_2_X', 100, [3, -100, '/etc/../etc//shadow', 1, 0, 0, 7n])
    .ev('PPME_SYSCALL_OPENAT_2_X', 100, [4, -100, '.ssh/../.ssh/../.ssh/id_rsa', 1, 0, 0, 8n])
    .ev('PPME_SYSCALL_OPEN_X', 100, [5, 'x/../y', 1, 0, 0, 9n])
    .ev('PPME_SYSCALL_OPENAT_2_X', 100, [-2, -100, '/tmp/../nope', 1, 0, 0, 0n])
    .ev('PPME_SOCKET_SOCKET_X', 100, [6, 2, 1, 0]);
  const rows = observe(s, ['fd.name', 'fd.nameraw'], ["fd.nameraw glob '*../*../*'"]);
  assert.deepEqual(rows.map((r) => [r['fd.name'], r['fd.nameraw']]), [
    ['/etc/shadow', '/etc/../etc/shadow'],
    ['/root/.ssh/id_rsa', '.ssh/../.ssh/../.ssh/id_rsa'],
    ['/root/y', 'x/../y'],
    ['/nope', '/tmp/../nope'],
    ['', ''],
  ]);
  assert.deepEqual(rows.map((r) => r["fd.nameraw glob '*../*../*'"]), [false, true, false, false, false]);
});

test('execve flags print with the EXE_* names; dirfd AT_FDCWD; unnamed values print as numbers', () => {
  const s = procs()
    .execve(100, 100, 50, '/memfd:x', [], { exeFlags: 5 })
    .execve(100, 100, 50, '/bin/a', [], { exeFlags: 15 })
    .execve(100, 100, 50, '/bin/b', [], { exeFlags: 0 })
    .ev('PPME_SYSCALL_OPENAT_2_X', 100, [3, -100, 'f', 1, 0, 0, 7n])
    .ev('PPME_SYSCALL_EXECVEAT_E', 100, [3, '', 1]);
  const rows = observe(s, ['evt.arg.flags', 'evt.arg.dirfd', 'evt.rawarg.flags'], ['proc.is_exe_from_memfd = true']);
  assert.deepEqual(rows.map((r) => r['evt.arg.flags']), [
    'EXE_WRITABLE|EXE_FROM_MEMFD', 'EXE_WRITABLE|EXE_UPPER_LAYER|EXE_FROM_MEMFD|EXE_LOWER_LAYER', '0', 'O_RDONLY', 'AT_EMPTY_PATH',
  ]);
  assert.equal(rows[3]!['evt.arg.dirfd'], 'AT_FDCWD');
  assert.equal(rows[4]!['evt.arg.dirfd'], '<f>/f'); // the execs above moved the cwd to /
  assert.equal(rows[0]!['evt.rawarg.flags'], 5);
  assert.deepEqual(rows.map((r) => r['proc.is_exe_from_memfd = true']), [true, true, false, false, false]);
});

test('fd.ip, fd.net, fd.port compare both ends: = either, != neither', () => {
  const s = procs()
    .ev('PPME_SOCKET_SOCKET_X', 100, [4, 2, 2, 0, 0])
    .ev('PPME_SOCKET_CONNECT_X', 100, [0, tuple4('0.0.0.0', 40000, '8.8.8.8', 53), 4]);
  const conds = ['fd.ip = 8.8.8.8', 'fd.ip = 0.0.0.0', 'fd.ip != "0.0.0.0"', 'fd.ip != 1.1.1.1', 'fd.net = "8.8.0.0/16"', 'fd.net != "127.0.0.0/8"',
    'fd.port in (53)', 'fd.port != 53', 'fd.sport = 53'];
  const last = observe(s, ['fd.sip', 'fd.cip'], conds).at(-1)!;
  assert.deepEqual(conds.map((c) => last[c]), [true, true, false, true, true, true, true, false, true]);
});

test('proc.aenv: [NAME] is the nearest ancestor value, no argument tests every ancestor env', () => {
  const s = procs().clone(200, 200, 100, 'bash').execve(200, 200, 100, '/usr/bin/id', []);
  const conds = ['proc.aenv contains SSH_AUTH_SOCK', 'proc.aenv[SSH_AUTH_SOCK] = /tmp/a', 'proc.aenv[2] contains "LANG=C"', 'proc.aenv contains NOPE'];
  const last = observe(s, ['proc.aenv[SSH_AUTH_SOCK]', 'proc.aenv[NOPE]', 'proc.aenv'], conds).at(-1)!;
  assert.equal(last['proc.aenv[SSH_AUTH_SOCK]'], '/tmp/a');
  assert.equal(last['proc.aenv[NOPE]'], '');
  assert.equal(last['proc.aenv'], 'PATH=/bin'); // printed: the process's own environment
  assert.deepEqual(conds.map((c) => last[c]), [true, true, true, false]);
});

test('parameters print as libsinsp: signals, durations, futex operations, rlimit resources', () => {
  const s = procs()
    .ev('PPME_SYSCALL_KILL_E', 100, [50, 9])
    .ev('PPME_SYSCALL_NANOSLEEP_E', 100, [1_500_000_000n])
    .ev('PPME_SYSCALL_NANOSLEEP_E', 100, [0n])
    .ev('PPME_SYSCALL_FUTEX_E', 100, [0x1000n, 393, 0n])
    .ev('PPME_SYSCALL_FUTEX_E', 100, [0x1000n, 128, 0n])
    .ev('PPME_SYSCALL_GETRLIMIT_E', 100, [3]);
  const rows = observe(s, ['evt.args']);
  assert.deepEqual(rows.map((r) => r['evt.args']), [
    'pid=50(sshd) sig=9(SIGKILL)',
    'interval=1500000000(1.5s)',
    'interval=0(0s)',
    'addr=1000 op=393(FUTEX_CLOCK_REALTIME|FUTEX_PRIVATE_FLAG|FUTEX_WAIT_BITSET) val=0',
    'addr=1000 op=128(FUTEX_PRIVATE_FLAG) val=0',
    'resource=3(RLIMIT_STACK)',
  ]);
});

test('fd.is_upper_layer / fd.is_lower_layer come from the overlay bits of the open flags', () => {
  const s = procs()
    .ev('PPME_SYSCALL_OPENAT_2_X', 100, [3, -100, '/a', 1 | (1 << 15), 0, 0, 7n])
    .ev('PPME_SYSCALL_OPENAT_2_X', 100, [4, -100, '/b', 1 | (1 << 16), 0, 0, 8n])
    .ev('PPME_SYSCALL_OPENAT_2_X', 100, [5, -100, '/c', 1, 0, 0, 9n]);
  const rows = observe(s, ['fd.is_upper_layer', 'fd.is_lower_layer']);
  assert.deepEqual(rows.map((r) => [r['fd.is_upper_layer'], r['fd.is_lower_layer']]), [[true, false], [false, true], [false, false]]);
});
