import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nul, runScenario, Scenario } from './fixture.ts';

const CLONE_THREAD = 1 << 13;
const CLONE_NEWPID = 1 << 6;
const CHILD_IN_PIDNS = 1 << 29;

const base = () =>
  new Scenario([
    { tid: 1, pid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init', exepath: '/usr/lib/systemd/systemd' },
    { tid: 100, pid: 100, ptid: 1, comm: 'bash', exe: 'bash', exepath: '/bin/bash', args: ['-l'], cwd: '/root/' },
  ]);

/** A caller-side clone exit (CLONE_20_X) in `tid` returning `res`, describing the caller. */
function caller(s: Scenario, tid: number, res: number, flags = 0, vtid = tid): Scenario {
  return s.ev('PPME_SYSCALL_CLONE_20_X', tid, [res, 'bash', nul('-l'), tid, tid, 1, '/root/', 1024, 0n, 0n, 0, 0, 0, 'bash', nul('cpuset=/'), flags, 0, 0, vtid, vtid, 0n]);
}

/** A child-side clone exit with explicit namespace ids. */
function child(s: Scenario, tid: number, pid: number, ptid: number, flags: number, vtid: number, vpid: number): Scenario {
  return s.ev('PPME_SYSCALL_CLONE_20_X', tid, [0, 'bash', nul('-l'), tid, pid, ptid, '/root/', 1024, 0n, 0n, 0, 0, 0, 'bash', nul('cpuset=/'), flags, 0, 0, vtid, vpid, 0n]);
}

test('caller side first: the caller creates the child, the child\'s own exit then leaves it', () => {
  const { st } = runScenario(child(caller(base(), 100, 200), 200, 200, 100, 0, 200, 200).bytes());
  const c = st.thread(200);
  assert.ok(c, 'the child exists');
  assert.equal(c.pid, 200);
  assert.equal(c.ptid, 100);
  assert.equal(c.cwd, '/root/', 'a new process gets the caller\'s cwd');
  assert.equal(st.thread(100)?.pid, 100, 'the caller is unchanged');
});

test('child side first: the caller\'s exit does not replace the child its own event created', () => {
  // the child's event names ids the caller's cannot know (its vtid): they must survive the caller's exit
  const { st } = runScenario(caller(child(base(), 200, 200, 100, 0, 200, 200), 100, 200).bytes());
  assert.equal(st.thread(200)?.ptid, 100);
  const s2 = caller(child(base(), 201, 100, 1, CLONE_THREAD, 201, 100), 100, 201, CLONE_THREAD);
  const t = runScenario(s2.bytes()).st.thread(201);
  assert.equal(t?.pid, 100, 'a thread belongs to the caller\'s process');
  assert.equal(t?.ptid, 1, 'created by its own event: the ptid it names');
});

test('a caller in a pid namespace returns a namespace id: only the child\'s exit creates the child', () => {
  // res 5 is the child's id inside the caller's namespace, not a host tid
  const { st } = runScenario(child(caller(base(), 100, 5, CHILD_IN_PIDNS), 900, 900, 100, CHILD_IN_PIDNS, 5, 5).bytes());
  assert.equal(st.thread(5), undefined, 'no thread under the namespace id');
  assert.equal(st.thread(900)?.vpid, 5);
  // a caller known to live in a namespace (its vtid is not its tid) says the same without the flag
  const s2 = caller(child(base(), 150, 150, 100, CHILD_IN_PIDNS, 3, 3), 150, 6, 0, 3);
  assert.equal(runScenario(s2.bytes()).st.thread(6), undefined);
});

test('a new pid namespace\'s init is created by its own exit (vpid 1), not by its caller', () => {
  const { st } = runScenario(child(caller(base(), 100, 700, CLONE_NEWPID), 700, 700, 100, CLONE_NEWPID | CHILD_IN_PIDNS, 1, 1).bytes());
  assert.equal(st.thread(700)?.vpid, 1);
  assert.equal(st.thread(700)?.vtid, 1);
});

test('a child that already exited is not brought back by its caller\'s late exit (vfork and otherwise)', () => {
  const exit = (s: Scenario, tid: number) => s.ev('PPME_PROCEXIT_1_E', tid, [0, 0, 0, 0, 1]);
  for (const kind of ['PPME_SYSCALL_VFORK_20_X', 'PPME_SYSCALL_CLONE_20_X']) {
    const s = exit(child(base(), 300, 300, 100, 0, 300, 300), 300);
    s.ev(kind, 100, [300, 'bash', nul('-l'), 100, 100, 1, '/root/', 1024, 0n, 0n, 0, 0, 0, 'bash', nul('cpuset=/'), 0, 0, 0, 100, 100, 0n]);
    const { st } = runScenario(s.bytes());
    assert.equal(st.thread(300), undefined, `${kind}: the exited child stays gone`);
  }
});
