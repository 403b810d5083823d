/**
 * A real Prometheus (Debian's 2.42) scrapes `vigil metrics serve` on 127.0.0.1: both run as
 * child processes on free ports with a temporary config and storage folder; the test asks
 * Prometheus's HTTP API for up{job="vigil"} == 1 and for node_memory_MemTotal_bytes, which
 * must equal /proc/meminfo's MemTotal. Skipped with a message when prometheus is not installed.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { projectPath } from '../../src/core/index.ts';

const noPrometheus = spawnSync('prometheus', ['--version'], { encoding: 'utf8' }).error
  ? 'prometheus not installed (apt-get install prometheus; .ci/apt-packages.d/metrics.txt)' : false;
if (noPrometheus) console.log(`# SKIP real Prometheus scrape: ${noPrometheus}`);

const children: ChildProcess[] = [];
const dirs: string[] = [];
after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

/** A port nobody listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

/** Polls `fn` until it returns a value (not undefined), or fails after `ms`. */
async function until<T>(what: string, ms: number, fn: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what}: not within ${ms} ms (${String(last ?? 'no answer')})`);
}

interface QueryAnswer { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } }

test('Prometheus 2.42 scrapes vigil metrics serve: up{job="vigil"} == 1 and MemTotal', { skip: noPrometheus, timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-prom-'));
  dirs.push(dir);
  const [vigilPort, promPort] = [await freePort(), await freePort()];
  const logs = { vigil: '', prom: '' };
  const vigil = spawn(process.execPath, [projectPath('bin/vigil.mjs'), 'metrics', 'serve', '--listen', `127.0.0.1:${vigilPort}`, '--no-containers'], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(vigil);
  vigil.stderr!.setEncoding('utf8').on('data', (s: string) => { logs.vigil += s; });
  await until(`vigil metrics serve on ${vigilPort} (${logs.vigil})`, 120_000, async () => ((await fetch(`http://127.0.0.1:${vigilPort}/healthz`)).ok ? true : undefined));

  writeFileSync(join(dir, 'prometheus.yml'), [
    'global: {scrape_interval: 1s, evaluation_interval: 1s}',
    'scrape_configs:',
    '  - job_name: vigil',
    '    static_configs: [{targets: ["127.0.0.1:' + vigilPort + '"]}]',
    '',
  ].join('\n'));
  const prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(prom);
  prom.stderr!.setEncoding('utf8').on('data', (s: string) => { logs.prom = (logs.prom + s).slice(-4000); });
  const query = async (q: string) => {
    const r = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(q)}`);
    const a = (await r.json()) as QueryAnswer;
    return a.status === 'success' && a.data.result.length ? a.data.result : undefined;
  };
  const upRes = await until(`up{job="vigil"}==1 (prometheus log tail: ${logs.prom.slice(-800)})`, 120_000, () => query('up{job="vigil"} == 1'));
  assert.equal(upRes[0].metric.instance, `127.0.0.1:${vigilPort}`);
  const mem = await until('node_memory_MemTotal_bytes', 30_000, () => query('node_memory_MemTotal_bytes{job="vigil"}'));
  const kb = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]);
  assert.equal(Number(mem[0].value[1]), kb * 1024);
  // the scrape carried the container side too, and every sample was accepted
  assert.ok(await until('container_cpu_usage_seconds_total{id="/"}', 30_000, () => query('container_cpu_usage_seconds_total{job="vigil",id="/",cpu="total"}')));
  const samples = await until('scrape_samples_scraped', 30_000, () => query('scrape_samples_scraped{job="vigil"}'));
  assert.ok(Number(samples[0].value[1]) > 100);
});
