/**
 * `vigil up` with a vigil.yaml: the outbox takes `outputs_queue.capacity`, the channels take
 * `http_output.*`, the activity recorder takes `audit.*`, exactly as `vigil replay -c` does;
 * without a config the schema's defaults apply (every activity kind recorded, no channels).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, projectPath } from '../core/index.ts';
import { openStore, type Activity } from '../store/index.ts';
import { needConformance } from '../../test/conformance/helpers.ts';
import { startVigil, type Running } from './index.ts';

const caps = needConformance('falco', 'scap', 'falco-0.34.1');
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function up(yaml: string | undefined): Promise<{ running: Running; token: string; lines: string[]; data: string }> {
  const data = mkdtempSync(join(tmpdir(), 'vigil-runtime-'));
  dirs.push(data);
  const lines: string[] = [];
  const config = yaml === undefined ? undefined : loadConfig({ text: yaml }).config;
  const running = await startVigil({ host: '127.0.0.1', port: 0, dataDir: data, rules: [projectPath('rules/vigil_rules.yaml')], live: false, config, webDir: join(data, 'no-ui'), log: (l) => lines.push(l) });
  const token = /stored hashed\): (\S+)/.exec(lines.join('\n'))?.[1];
  assert.ok(token, lines.join('\n'));
  return { running, token, lines, data };
}

const post = (r: Running, token: string, path: string, body: string) =>
  fetch(r.url + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });

function alertLine(i: number): string {
  return JSON.stringify({ hostname: 'h', output: `alert ${i}`, priority: 'Warning', rule: 'R', source: 'syscall', tags: [], time: new Date().toISOString(), output_fields: {} });
}

/** Replays two shared captures (an exec of cat; a connection) and returns the kinds recorded. */
async function replayedActivity(v: Awaited<ReturnType<typeof up>>): Promise<Activity[]> {
  for (const f of ['cat_write.scap', 'connect_localhost.scap']) {
    const res = await post(v.running, v.token, '/api/v1/replay', JSON.stringify({ path: join(caps.path, f) }));
    assert.equal(res.status, 200, await res.text());
  }
  await v.running.stop();
  const store = await openStore(join(v.data, 'vigil.db'));
  try {
    return await store.queryActivity({});
  } finally {
    await store.close();
  }
}

test('vigil up -c: outputs_queue.capacity bounds the outbox, http_output.* shapes the webhook, audit.kinds filters activity', { skip: caps.skip }, async () => {
  const got: { headers: IncomingHttpHeaders; body: string }[] = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => {
      got.push({ headers: req.headers, body });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const port = (hook.address() as AddressInfo).port;
  const v = await up([
    'stdout_output: {enabled: false}',
    'syslog_output: {enabled: false}',
    'json_output: true',
    `http_output: {enabled: true, url: "http://127.0.0.1:${port}/hook", user_agent: vigil-runtime-test, headers: {X-Team: blue}}`,
    'outputs_queue: {capacity: 2}',
    'audit: {kinds: [net]}',
  ].join('\n'));
  try {
    const one = await post(v.running, v.token, '/api/v1/ingest/falco', alertLine(0));
    assert.equal(one.status, 200, await one.text());
    // a burst of 20 submitted at once overflows a queue of 2: Falco's outputs-queue drop
    const burst = await post(v.running, v.token, '/api/v1/ingest/falco', Array.from({ length: 20 }, (_, i) => alertLine(i + 1)).join('\n'));
    assert.equal(burst.status, 503);
    assert.match(v.lines.join('\n'), /outputs queue full \(capacity 2\)/);
    for (let i = 0; i < 100 && !got.length; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(got.length >= 1, 'the webhook received the first alert');
    assert.equal(got[0].headers['user-agent'], 'vigil-runtime-test');
    assert.equal(got[0].headers['x-team'], 'blue');
    assert.equal(JSON.parse(got[0].body).output, 'alert 0');
    const acts = await replayedActivity(v);
    assert.ok(acts.length > 0, 'the connection is recorded');
    assert.deepEqual([...new Set(acts.map((a) => a.kind))], ['net']);
  } finally {
    await v.running.stop();
    hook.close();
  }
});

test('vigil up without -c: every activity kind is recorded, as the schema defaults say', { skip: caps.skip }, async () => {
  const v = await up(undefined);
  const acts = await replayedActivity(v);
  const cat = acts.find((a) => a.kind === 'exec' && a.comm === 'cat');
  assert.equal(cat?.cmdline, 'cat /dev/null');
  assert.ok(acts.some((a) => a.kind === 'net'));
});
