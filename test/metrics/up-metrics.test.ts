/**
 * GET /metrics of `vigil up` (in process, live detection off, a temporary data folder): a
 * token is needed by default (401 without, 200 with a read token), `metricsPublic` serves it
 * without one; the body carries node_exporter, cAdvisor and Falco-named families, and no
 * sensor counters while live detection is off.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { projectPath } from '../../src/core/index.ts';
import { startVigil } from '../../src/server/index.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function up(metricsPublic: boolean) {
  const data = mkdtempSync(join(tmpdir(), 'vigil-metrics-up-'));
  dirs.push(data);
  const lines: string[] = [];
  const running = await startVigil({
    host: '127.0.0.1', port: 0, dataDir: data, rules: [projectPath('rules/vigil_rules.yaml')], live: false, metricsPublic, webDir: join(data, 'no-ui'), log: (l) => lines.push(l),
  });
  const token = /stored hashed\): (\S+)/.exec(lines.join('\n'))?.[1];
  assert.ok(token, lines.join('\n'));
  return { running, token };
}

test('vigil up /metrics needs a token by default and renders the families', async () => {
  const { running, token } = await up(false);
  try {
    const anon = await fetch(`${running.url}/metrics`);
    assert.equal(anon.status, 401);
    const r = await fetch(`${running.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    const body = await r.text();
    assert.equal(r.status, 200, body);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.match(body, /^node_cpu_seconds_total\{cpu="0",mode="idle"\} \d/m);
    assert.match(body, /^node_memory_MemTotal_bytes \d/m);
    assert.match(body, /^container_cpu_usage_seconds_total\{id="\/",name="",image="",namespace="",pod="",container="",cpu="total"\} /m);
    assert.match(body, /^falcosecurity_falco_duration_seconds_total \d+$/m);
    // live detection is off: no sensor counters are invented
    assert.doesNotMatch(body, /falcosecurity_scap_n_evts_total/);
  } finally {
    await running.stop();
  }
});

test('vigil up --metrics-public serves /metrics without a token', async () => {
  const { running } = await up(true);
  try {
    const r = await fetch(`${running.url}/metrics`);
    assert.equal(r.status, 200);
    assert.match(await r.text(), /^node_load1 /m);
    // the rest of the API still needs a token
    assert.equal((await fetch(`${running.url}/api/v1/alerts`)).status, 401);
  } finally {
    await running.stop();
  }
});
