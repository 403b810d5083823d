/**
 * What the sensor knows about sockets and open files: connect/accept tuples carry both ends as the
 * kernel socket has them (TCP over IPv4 and IPv6, unix sockets), and fds opened before the capture
 * started are named from the fd-list blocks of the /proc snapshot. Checked in Vigil's replay and,
 * when installed, in `sysdig -r`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { replayState, syscallTable } from '../../src/sources/index.ts';
import { buildC, captureDuring, sensorSkip } from './support.ts';

const skip = sensorSkip();
const noSysdig = spawnSync('sysdig', ['--version']).status !== 0 ? 'sysdig not installed (apt-get install sysdig)' : false;
if (noSysdig) console.log(`# SKIP ${noSysdig}: the sysdig comparisons are skipped`);

type Row = Record<string, string>;

/** Every event of `pid` in the capture, with the named fields as Vigil renders them. */
async function vigilEvents(file: string, pid: number, fields: string[]): Promise<Row[]> {
  const table = syscallTable();
  const defs = fields.map((f) => table.lookup(f)!.def);
  const pidDef = table.lookup('proc.pid')!.def;
  const out: Row[] = [];
  await replayState(file, (ev) => {
    if (ev.e.info.dir !== '<' || Number(pidDef.extract!(ev)) !== pid) return;
    out.push(Object.fromEntries(fields.map((f, i) => { const v = defs[i]!.extract!(ev); return [f, v === undefined || v === null ? '<NA>' : String(v)]; })));
  });
  return out;
}

function sysdigLines(file: string, filter: string, format: string): string[] {
  const r = spawnSync('sysdig', ['-r', file, filter, '-p', format], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, `sysdig -r refused the capture: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

test('connect and accept tuples name both ends (TCP v4 and v6, unix) in Vigil and sysdig', { skip, timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sockets-'));
  try {
    const helper = buildC('net-helper.c', dir, 'net-helper');
    const runs: { mode: string; pid: number; out: string }[] = [];
    const file = join(dir, 'net.scap');
    const sock = join(dir, 'u.sock');
    await captureDuring(file, async () => {
      for (const mode of ['tcp4', 'tcp6', 'unix']) {
        const c = spawn(helper, mode === 'unix' ? [mode, sock] : [mode], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        c.stdout.on('data', (d) => { out += String(d); });
        const [code] = await once(c, 'exit');
        assert.equal(code, 0, `net-helper ${mode} failed`);
        runs.push({ mode, pid: c.pid!, out: out.trim() });
      }
    }, ['connect', 'accept', 'accept4']);
    const fields = ['evt.type', 'fd.name', 'fd.lport', 'fd.rport', 'fd.cport', 'fd.sport', 'fd.typechar'];
    for (const r of runs) {
      const evs = (await vigilEvents(file, r.pid, fields)).filter((e) => /^(connect|accept4?)$/.test(e['evt.type']!));
      const connect = evs.find((e) => e['evt.type'] === 'connect');
      const accept = evs.find((e) => e['evt.type']!.startsWith('accept'));
      assert.ok(connect && accept, `${r.mode}: Vigil saw connect and accept (saw ${evs.map((e) => e['evt.type']).join(',')})`);
      if (r.mode === 'unix') {
        // unix tuples: this end's and the peer's kernel addresses, then the path; accept sees the pair reversed
        const m = /^([0-9a-f]+)->([0-9a-f]+) (.+)$/.exec(connect['fd.name']!);
        assert.ok(m, `unix connect fd.name: ${connect['fd.name']}`);
        assert.equal(m[3], sock);
        assert.notEqual(m[1], m[2]);
        assert.equal(accept['fd.name'], `${m[2]}->${m[1]}`, 'accept is the other end of the same pair');
        assert.equal(connect['fd.typechar'], 'u');
        continue;
      }
      const [cport, sport] = r.out.split(' ').map(Number);
      const ip = r.mode === 'tcp4' ? '127.0.0.1' : '::1';
      const want = `${ip}:${cport}->${ip}:${sport}`;
      assert.equal(connect['fd.name'], want, `${r.mode} connect`);
      assert.equal(accept['fd.name'], want, `${r.mode} accept`);
      // local and remote ends: the client's local port is cport, the server's is sport
      assert.deepEqual([connect['fd.lport'], connect['fd.rport']], [String(cport), String(sport)]);
      assert.deepEqual([accept['fd.lport'], accept['fd.rport']], [String(sport), String(cport)]);
      assert.deepEqual([accept['fd.cport'], accept['fd.sport']], [String(cport), String(sport)]);
      if (noSysdig) continue;
      const theirs = sysdigLines(file, `proc.pid=${r.pid} and evt.dir=< and evt.type in (connect,accept)`, '%evt.type %fd.name');
      assert.deepEqual(theirs, [`connect ${want}`, `accept ${want}`], `${r.mode} in sysdig`);
    }
    if (noSysdig) t.diagnostic(`sysdig comparison skipped: ${noSysdig}`);
    else {
      const u = runs.find((r) => r.mode === 'unix')!;
      const theirs = sysdigLines(file, `proc.pid=${u.pid} and evt.dir=< and evt.type in (connect,accept)`, '%evt.type %fd.name');
      const ours = (await vigilEvents(file, u.pid, ['evt.type', 'fd.name'])).filter((e) => /^(connect|accept)$/.test(e['evt.type']!)).map((e) => `${e['evt.type']} ${e['fd.name']}`);
      // sysdig prints a unix accept's name with the empty path after a space
      assert.deepEqual(theirs.map((l) => l.trimEnd()), ours);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an fd opened before the capture started is named from the fd-list blocks', { skip, timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-fdlist-'));
  try {
    const helper = buildC('net-helper.c', dir, 'net-helper');
    const target = join(dir, `held-${process.pid}.txt`);
    writeFileSync(target, 'held before the capture\n');
    const c = spawn(helper, ['hold', target], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: c.stdout! })[Symbol.asyncIterator]();
    const ready = (await lines.next()).value as string;
    const fd = Number(/^ready (\d+)$/.exec(ready)?.[1]);
    assert.ok(fd > 2, `helper holds ${target} open: ${ready}`);
    const file = join(dir, 'held.scap');
    await captureDuring(file, async () => {
      c.stdin!.write('go\n');
      assert.match((await lines.next()).value as string, /^read \d+$/);
      await once(c, 'exit');
    }, ['read']);
    const reads = (await vigilEvents(file, c.pid!, ['evt.type', 'fd.num', 'fd.name', 'fd.typechar'])).filter((e) => e['evt.type'] === 'read' && e['fd.num'] === String(fd));
    assert.equal(reads.length, 1, 'one read of the held fd');
    assert.equal(reads[0]!['fd.name'], target, 'the held file is named although its open was not captured');
    assert.equal(reads[0]!['fd.typechar'], 'f');
    if (noSysdig) { t.diagnostic(`sysdig check skipped: ${noSysdig}`); return; }
    // sysdig reads the fd-list blocks too: the held file is in its fd table (lsof-style listing)
    const listed = execFileSync('sysdig', ['-r', file, '-c', 'lsof', `proc.pid=${c.pid}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    assert.ok(listed.includes(target), `sysdig's lsof lists ${target}:\n${listed.slice(0, 2000)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
