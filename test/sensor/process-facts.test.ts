/**
 * Process facts the sensor takes from the kernel at clone and exec, read back through Vigil's
 * field extractors from a live capture:
 *  - proc.vpid / thread.vtid are the ids in the task's own pid namespace (a container's init is
 *    1 there) while proc.pid stays the host pid;
 *  - proc.exe_ino.mtime / ctime are the executable's inode times;
 *  - proc.is_exe_writable follows the permission check (root or the owner of a 0755 file: yes;
 *    another user on a root-owned 0755 file: no).
 * Needs root and the built sensor; the container part also needs containerd (skips say why).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { containerdProblem, ensureNetToolsImage, startContainer, type TestContainer } from '../containers/runtime.ts';
import { vigilRows } from '../support/scap-rows.ts';
import { captureDuring, sensorSkip } from './support.ts';

const skip = sensorSkip();

type Row = Record<string, string | undefined>;

/** For every event of the capture: the named fields as Vigil renders them (undefined when missing). */
async function rows(file: string, fields: string[]): Promise<Row[]> {
  const byNum = await vigilRows(file, fields);
  return [...byNum.values()].map((r) => Object.fromEntries(fields.map((f, i) => [f, r[i] === '<NA>' ? undefined : r[i]])));
}

const containerSkip = skip || containerdProblem() || false;

test('a container init is vpid 1 and vtid 1 in its namespace, its host pid in proc.pid', { skip: containerSkip, timeout: 300_000 }, async () => {
  const image = ensureNetToolsImage();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-pidns-'));
  const file = join(dir, 'c.scap');
  let c: TestContainer | undefined;
  let execPid = 0;
  try {
    await captureDuring(file, async () => {
      c = await startContainer({ image, cmd: ['sleep', '3600'] });
      // a second process inside: its vpid is its number in the container's namespace, not 1
      const r = await c.exec(['sh', '-c', 'echo $$; sleep 0.2']);
      execPid = Number(r.stdout.trim());
    });
  } finally {
    await c?.stop();
  }
  try {
    assert.ok(c?.pid, 'the container task has a host pid');
    const all = await rows(file, ['proc.pid', 'proc.vpid', 'thread.tid', 'thread.vtid', 'evt.type', 'proc.name']);
    const init = all.filter((r) => r['proc.pid'] === String(c!.pid) && r['thread.tid'] === String(c!.pid));
    assert.ok(init.length > 0, `events of the container init (host pid ${c!.pid}) in the capture`);
    // from the clone that started it on, the init is 1 in its namespace
    const seen = init.filter((r) => r['proc.vpid'] !== undefined);
    assert.ok(seen.length > 0, 'proc.vpid is known for the init');
    for (const r of seen) {
      assert.equal(r['proc.vpid'], '1', `proc.vpid of ${r['evt.type']} by ${r['proc.name']}`);
      assert.equal(r['thread.vtid'], '1');
      assert.notEqual(r['proc.pid'], '1');
    }
    assert.ok(execPid > 1, `the exec'd shell printed its namespace pid: ${execPid}`);
    const shell = all.filter((r) => r['proc.vpid'] === String(execPid) && r['proc.name'] === 'sh');
    assert.ok(shell.length > 0, `events of the exec'd shell with proc.vpid ${execPid}`);
    assert.ok(shell.every((r) => r['proc.pid'] !== String(execPid)), 'the shell\'s host pid differs from its namespace pid');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exec records the image\'s inode times and whether its user could write it', { skip, timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-exe-'));
  const file = join(dir, 'e.scap');
  const mine = join(dir, 'mytrue');
  copyFileSync('/bin/true', mine);
  chmodSync(mine, 0o755);
  chmodSync(dir, 0o755);
  const mtime = new Date('2021-03-04T05:06:07Z');
  utimesSync(mine, mtime, mtime);
  const st = statSync(mine, { bigint: true });
  const nobody = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '/bin/true']).status === 0;
  try {
    await captureDuring(file, async () => {
      execFileSync(mine, ['vigil-exe-root']);
      if (nobody) execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '/bin/true', 'vigil-exe-nobody']);
    });
    const all = await rows(file, ['evt.type', 'proc.cmdline', 'proc.exe_ino.mtime', 'proc.exe_ino.ctime', 'proc.is_exe_writable', 'user.uid']);
    const root = all.find((r) => r['evt.type'] === 'execve' && r['proc.cmdline'] === 'mytrue vigil-exe-root');
    assert.ok(root, 'the exec of the copied binary is in the capture');
    assert.equal(root['proc.exe_ino.mtime'], String(st.mtimeNs), 'mtime as set by utimes');
    assert.equal(root['proc.exe_ino.ctime'], String(st.ctimeNs));
    assert.equal(root['proc.is_exe_writable'], 'true', 'root executing its own 0755 file');
    if (!nobody) {
      t.diagnostic('setpriv cannot switch to uid 65534 here: the non-writable case is not checked');
      return;
    }
    const other = all.find((r) => r['evt.type'] === 'execve' && r['proc.cmdline'] === 'true vigil-exe-nobody');
    assert.ok(other, 'the exec as uid 65534 is in the capture');
    assert.equal(other['user.uid'], '65534');
    assert.equal(other['proc.is_exe_writable'], 'false', 'uid 65534 on root-owned /bin/true');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
