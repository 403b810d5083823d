/**
 * Process facts the sensor takes from the kernel at clone and exec, read back through Vigil's
 * field extractors from a live capture:
 *  - proc.vpid / thread.vtid are the ids in the task's own pid namespace (a container's init is
 *    1 there) while proc.pid stays the host pid;
 *  - proc.exe_ino.mtime / ctime are the executable's inode times;
 *  - proc.is_exe_writable follows the modern driver's rule (extract__exe_writable): no on a
 *    read-only superblock or an immutable inode; yes for the owner; the group bits for the fsgid or
 *    a supplementary group, the other bits otherwise; then CAP_DAC_OVERRIDE / CAP_FOWNER. A
 *    read-only bind mount of a writable filesystem does not count (the driver reads the superblock).
 * Needs root and the built sensor; the container part also needs containerd (skips say why).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
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

/** The credentials and file facts the driver's exe_writable rule reads. */
interface WritableCase {
  mode: number; uid: number; gid: number;          // the image's inode
  fsuid: number; fsgid: number; groups: number[];  // the exec'ing task
  capEff: bigint; sbReadOnly: boolean; immutable: boolean;
}

/** extract__exe_writable of falcosecurity/libs modern_bpf, for ids mapped in the initial user namespace. */
function driverExeWritable(c: WritableCase): boolean {
  if (c.sbReadOnly || c.immutable) return false;
  if (c.fsuid === c.uid) return true;
  const mode = c.fsgid === c.gid || c.groups.includes(c.gid) ? c.mode >> 3 : c.mode;
  if (mode & 2) return true;
  return (c.capEff & (1n << 1n)) !== 0n || (c.capEff & (1n << 3n)) !== 0n;
}

test('exe_writable follows the driver: supplementary groups, owner, capabilities, read-only superblocks, immutable files, read-only bind mounts', { skip, timeout: 180_000 }, async (t) => {
  if (spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--groups=4242', '/bin/true']).status !== 0 || spawnSync('unshare', ['-m', 'true']).status !== 0) {
    t.skip('setpriv with supplementary groups or unshare -m does not work here');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'vigil-exew-'));
  chmodSync(dir, 0o755);
  const file = join(dir, 'w.scap');
  const bin = (name: string, uid: number, gid: number, mode: number) => {
    const p = join(dir, name);
    copyFileSync('/bin/true', p);
    chownSync(p, uid, gid);
    chmodSync(p, mode);
    return p;
  };
  const nobody = ['--reuid=65534', '--regid=65534', '--inh-caps=-all'];
  const ROOT_CAPS = 0x1ffffffffffn;
  const roDir = join(dir, 'ro');
  mkdirSync(roDir);
  chmodSync(roDir, 0o755);
  // each case: how to exec it, the expected flag and the facts the driver's rule reads
  const cases: { name: string; run: () => void; expect: boolean; facts: WritableCase }[] = [
    {
      name: 'supplementary group with group write', expect: true,
      run: () => execFileSync('setpriv', [...nobody, '--groups=4242', bin('gw', 0, 4242, 0o775), 'vigil-exew-group']),
      facts: { mode: 0o775, uid: 0, gid: 4242, fsuid: 65534, fsgid: 65534, groups: [4242], capEff: 0n, sbReadOnly: false, immutable: false },
    },
    {
      name: 'same file without the group', expect: false,
      run: () => execFileSync('setpriv', [...nobody, '--clear-groups', join(dir, 'gw'), 'vigil-exew-nogroup']),
      facts: { mode: 0o775, uid: 0, gid: 4242, fsuid: 65534, fsgid: 65534, groups: [], capEff: 0n, sbReadOnly: false, immutable: false },
    },
    {
      name: 'owner of a 0555 file (the owner may chmod it)', expect: true,
      run: () => execFileSync('setpriv', [...nobody, '--clear-groups', bin('own', 65534, 65534, 0o555), 'vigil-exew-owner']),
      facts: { mode: 0o555, uid: 65534, gid: 65534, fsuid: 65534, fsgid: 65534, groups: [], capEff: 0n, sbReadOnly: false, immutable: false },
    },
    {
      name: 'CAP_DAC_OVERRIDE on a root-owned 0755 file', expect: true,
      run: () => execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=+dac_override', '--ambient-caps=+dac_override', bin('cap', 0, 0, 0o755), 'vigil-exew-cap']),
      facts: { mode: 0o755, uid: 0, gid: 0, fsuid: 65534, fsgid: 65534, groups: [], capEff: 2n, sbReadOnly: false, immutable: false },
    },
    {
      name: 'root on a read-only bind mount of a writable filesystem', expect: true,
      run: () => {
        bin('ro/rb', 0, 0, 0o755);
        execFileSync('unshare', ['-m', 'sh', '-c', `mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$1/rb" vigil-exew-bindro`, 'sh', roDir]);
      },
      facts: { mode: 0o755, uid: 0, gid: 0, fsuid: 0, fsgid: 0, groups: [], capEff: ROOT_CAPS, sbReadOnly: false, immutable: false },
    },
    {
      name: 'root on a read-only tmpfs', expect: false,
      run: () => execFileSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs vigil "$1" && cp /bin/true "$1/sb" && mount -o remount,ro "$1" && exec "$1/sb" vigil-exew-sbro', 'sh', roDir]),
      facts: { mode: 0o755, uid: 0, gid: 0, fsuid: 0, fsgid: 0, groups: [], capEff: ROOT_CAPS, sbReadOnly: true, immutable: false },
    },
    {
      name: 'root on an immutable file', expect: false,
      run: () => execFileSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs vigil "$1" && cp /bin/true "$1/im" && chattr +i "$1/im" && exec "$1/im" vigil-exew-immutable', 'sh', roDir]),
      facts: { mode: 0o755, uid: 0, gid: 0, fsuid: 0, fsgid: 0, groups: [], capEff: ROOT_CAPS, sbReadOnly: false, immutable: true },
    },
  ];
  try {
    await captureDuring(file, async () => { for (const c of cases) c.run(); });
    const all = await rows(file, ['evt.type', 'proc.cmdline', 'proc.is_exe_writable']);
    for (const c of cases) {
      assert.equal(driverExeWritable(c.facts), c.expect, `${c.name}: the driver's rule as written here`);
      const marker = (c.run.toString().match(/vigil-exew-[a-z]+/) ?? [''])[0];
      // the exec of the image itself, not of the setpriv/unshare/sh before it (their command lines end alike)
      const ev = all.find((r) => r['evt.type'] === 'execve' && r['proc.cmdline']?.endsWith(` ${marker}`) && !/^(setpriv|unshare|sh) /.test(r['proc.cmdline']));
      assert.ok(ev, `the exec of case "${c.name}" (${marker}) is in the capture`);
      assert.equal(ev['proc.is_exe_writable'], String(c.expect), c.name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
