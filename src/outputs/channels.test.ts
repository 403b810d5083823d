import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { mkdtempSync, readFileSync, renameSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import { loadConfig } from '../core/index.ts';
import { sampleAlert } from '../store/index.ts';
import {
  channelsFromConfig, createFileChannel, createProgramChannel, createStdoutChannel, createSyslogChannel,
  formatRfc3164, formatRfc5424, DEFAULT_FORMAT, renderAlert, type AlertFormat,
} from './index.ts';

const TEXT: AlertFormat = { ...DEFAULT_FORMAT, json: false };
const tmp = (): string => mkdtempSync(join(tmpdir(), 'vigil-ch-'));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('stdout: Falco text line, or JSON with json_include_* honoured', async () => {
  const s = new PassThrough();
  let out = '';
  s.on('data', (c: Buffer) => (out += c));
  await createStdoutChannel({ stream: s }, TEXT).send(sampleAlert(1), 'ID1');
  await createStdoutChannel({ stream: s }, { ...DEFAULT_FORMAT, includeTags: false, includeOutputFields: false, includeUuid: false }).send(sampleAlert(1), 'ID1');
  const [text, json] = out.trimEnd().split('\n');
  assert.equal(text, sampleAlert(1).output);
  assert.deepEqual(Object.keys(JSON.parse(json)), ['hostname', 'output', 'priority', 'rule', 'source', 'time']);
});

test('file: JSON lines; reopen after rotation writes to a fresh file', async () => {
  const dir = tmp();
  const f = join(dir, 'events.json');
  const ch = createFileChannel({ filename: f, keep_alive: true }, DEFAULT_FORMAT);
  await ch.send(sampleAlert(1), 'A');
  renameSync(f, f + '.1');
  await ch.send(sampleAlert(2), 'B'); // still the rotated file: the handle is open
  await ch.reopen!();
  await ch.send(sampleAlert(3), 'C');
  await ch.close();
  const ids = (p: string): string[] => readFileSync(p, 'utf8').trim().split('\n').map((l) => JSON.parse(l).uuid);
  assert.deepEqual(ids(f + '.1'), ['A', 'B']);
  assert.deepEqual(ids(f), ['C']);
  rmSync(dir, { recursive: true });
});

test('file: unwritable path is a delivery error, not a crash', async () => {
  const ch = createFileChannel({ filename: '/nonexistent-dir/x.log' }, DEFAULT_FORMAT);
  await assert.rejects(ch.send(sampleAlert(1), 'A'), { name: 'DeliveryError' });
});

test('program: every alert reaches the program, per alert and keep-alive', async () => {
  const dir = tmp();
  for (const keep of [false, true]) {
    const f = join(dir, `out-${keep}.txt`);
    const ch = createProgramChannel({ program: `cat >> ${f}`, keep_alive: keep }, DEFAULT_FORMAT);
    for (let i = 0; i < 20; i++) await ch.send(sampleAlert(i), `id${i}`);
    await ch.close();
    if (keep) for (let i = 0; i < 50 && readFileSync(f, 'utf8').split('\n').length < 21; i++) await sleep(20);
    const got = readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l).uuid);
    assert.deepEqual(got, Array.from({ length: 20 }, (_, i) => `id${i}`), `keep_alive=${keep}`);
  }
  await assert.rejects(createProgramChannel({ program: 'exit 3' }, DEFAULT_FORMAT).send(sampleAlert(1), 'x'), /exited with 3/);
  rmSync(dir, { recursive: true });
});

test('syslog formats: RFC 5424 header, escaped structured data; RFC 3164 line', () => {
  const m = {
    facility: 1, severity: 4, time: '2026-01-01T10:20:30.123456789Z', hostname: 'node 1', appName: 'vigil', procId: 42, msgId: 'alert',
    sd: { 'vigil@32473': { rule: 'Write "etc" [x] \\ y', id: 'Z1' } }, msg: 'hello',
  };
  assert.equal(formatRfc5424(m), '<12>1 2026-01-01T10:20:30.123456Z node_1 vigil 42 alert [vigil@32473 rule="Write \\"etc\\" [x\\] \\\\ y" id="Z1"] hello');
  assert.equal(formatRfc5424({ ...m, sd: undefined, procId: undefined }), '<12>1 2026-01-01T10:20:30.123456Z node_1 vigil - alert - hello');
  assert.equal(formatRfc3164({ ...m, time: '2026-03-05T01:02:03Z' }), '<12>Mar  5 01:02:03 node_1 vigil[42]: hello');
});

test('syslog over UDP and TCP (octet counting) to local receivers', async () => {
  const u = dgram.createSocket('udp4');
  const udpGot: string[] = [];
  u.on('message', (b) => udpGot.push(b.toString()));
  u.bind(0, '127.0.0.1');
  await once(u, 'listening');
  const srv = net.createServer();
  let tcpRaw = '';
  srv.on('connection', (s) => s.on('data', (c) => (tcpRaw += c)));
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const udp = createSyslogChannel({ transport: 'udp', port: u.address().port }, DEFAULT_FORMAT);
  const tcp = createSyslogChannel({ transport: 'tcp', port: (srv.address() as net.AddressInfo).port }, DEFAULT_FORMAT);
  for (let i = 0; i < 3; i++) {
    await udp.send(sampleAlert(i), `u${i}`);
    await tcp.send(sampleAlert(i), `t${i}`);
  }
  for (let i = 0; i < 50 && (udpGot.length < 3 || !tcpRaw.includes('t2')); i++) await sleep(20);
  assert.equal(udpGot.length, 3);
  assert.match(udpGot[0], /^<12>1 2026-01-01T00:00:00\.123456Z node-1 vigil \d+ alert \[vigil@32473 id="u0" rule="Terminal shell in container" source="syscall" priority="Warning"\] \{/);
  // octet counting: "<len> <msg>" back to back
  const frames: string[] = [];
  let rest = Buffer.from(tcpRaw);
  while (rest.length) {
    const sp = rest.indexOf(0x20);
    const len = Number(rest.subarray(0, sp).toString());
    frames.push(rest.subarray(sp + 1, sp + 1 + len).toString());
    rest = rest.subarray(sp + 1 + len);
  }
  assert.equal(frames.length, 3);
  assert.equal(JSON.parse(frames[2].slice(frames[2].indexOf('] ') + 2)).uuid, 't2');
  await udp.close();
  await tcp.close();
  u.close();
  srv.close();
});

test('TCP syslog target down is a retryable delivery error', async () => {
  const srv = net.createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as net.AddressInfo).port;
  srv.close();
  const ch = createSyslogChannel({ transport: 'tcp', port }, DEFAULT_FORMAT);
  await assert.rejects(ch.send(sampleAlert(1), 'x'), (e: Error & { permanent?: boolean }) => e.name === 'DeliveryError' && !e.permanent);
});

test('channels from config follow the enabled flags and formats', async () => {
  const dir = tmp();
  const { config } = loadConfig({ overrides: ['syslog_output.enabled=false', 'stdout_output.enabled=false', 'file_output.enabled=true', `file_output.filename=${join(dir, 'e.txt')}`] });
  const chans = channelsFromConfig(config);
  assert.deepEqual(chans.map((c) => c.name), ['file']);
  await chans[0].send(sampleAlert(1), 'x');
  assert.equal(readFileSync(join(dir, 'e.txt'), 'utf8'), renderAlert(sampleAlert(1), 'x', TEXT) + '\n');
  assert.ok(existsSync(join(dir, 'e.txt')));
  rmSync(dir, { recursive: true });
});
