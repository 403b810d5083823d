import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { syscallTable, type SyscallEvent } from '../index.ts';
import { replayState } from './replay-state.ts';
import { Scenario, SyscallState, type ThreadInfo } from './state/index.ts';

const table = syscallTable();
const field = (ev: SyscallEvent, name: string) => table.lookup(name)!.def.extract!(ev);

/** bash (tid 100) opens a file, a user is added (state-only), bash opens another file. */
const capture = () =>
  new Scenario([{ tid: 100, pid: 100, ptid: 1, comm: 'bash', exe: 'bash', exepath: '/bin/bash' }])
    .ev('PPME_SYSCALL_OPENAT_2_X', 100, [3, -100, '/etc/hosts', 1, 0, 0, 7n])
    .ev('PPME_USER_ADDED_E', 100, [1001, 1001, 'alice', '/home/alice', '/bin/sh', ''])
    .ev('PPME_SYSCALL_OPENAT_2_X', 100, [4, -100, '/etc/passwd', 1, 0, 0, 8n])
    .bytes();

test('replayState: tables reach the state, numbered events arrive applied, state-only events do not', async () => {
  const seen: string[] = [];
  const r = await replayState(Readable.from([capture()]), (ev) => {
    seen.push(`${ev.e.num} ${String(field(ev, 'proc.name'))} ${String(field(ev, 'fd.name'))}`);
  });
  assert.deepEqual(seen, ['1 bash /etc/hosts', '2 bash /etc/passwd']);
  assert.equal(r.events, 3, 'the reader counted every event block');
  assert.equal(r.state.user(1001)?.name, 'alice', 'the meta-event updated the state');
  assert.equal(r.state.thread(100)?.fds.get(4)?.name, '/etc/passwd');
});

test('replayState: a given state is the one updated; an event it cannot apply rejects, or goes to onStateError', async () => {
  /** A state that cannot apply events of thread 666. */
  class Failing extends SyscallState {
    override thread(tid: number): ThreadInfo | undefined {
      if (tid === 666) throw new Error('state broke');
      return super.thread(tid);
    }
  }
  const bad = () =>
    new Scenario([{ tid: 100, pid: 100, ptid: 1, comm: 'bash', exe: 'bash' }])
      .ev('PPME_SYSCALL_OPENAT_2_X', 100, [3, -100, '/etc/hosts', 1, 0, 0, 7n])
      .ev('PPME_SYSCALL_OPENAT_2_X', 666, [3, -100, '/etc/shadow', 1, 0, 0, 9n])
      .ev('PPME_SYSCALL_OPENAT_2_X', 100, [4, -100, '/etc/passwd', 1, 0, 0, 8n])
      .bytes();
  await assert.rejects(replayState(Readable.from([bad()]), () => {}, { state: new Failing() }), /state broke/);
  const state = new Failing();
  const errors: number[] = [];
  const seen: string[] = [];
  const r = await replayState(Readable.from([bad()]), (ev) => seen.push(String(field(ev, 'fd.name'))), {
    state,
    onStateError: (_err, e) => errors.push(e.num),
  });
  assert.equal(r.state, state);
  assert.deepEqual(seen, ['/etc/hosts', '/etc/passwd']);
  assert.deepEqual(errors, [2], 'the event of thread 666 failed and did not reach onEvent');
});
