/**
 * Alert list queries through the HTTP API against the same queries run directly on the store,
 * on a store holding --n alerts (default 1 million), measured side by side in one run.
 *
 *   node --import tsx bench/api.ts [--n 1000000] [--rounds 200] [--stats-rounds 5] [--db FILE] [--keep] [--only list|stats]
 *
 * Each query shape (no filter, priority, rule, pod+namespace, container, text, time window,
 * a second page by cursor) runs `rounds` times one after another over keep-alive HTTP with a
 * read token, then directly through `store.pageAlerts`. Prints queries/s and p50/p99 latency
 * for each side and the ratio API/store. With --db an existing bench database is reused
 * (filled only when empty), so repeated runs skip the fill.
 *
 * Then the overview: `GET /api/v1/alerts/summary` (48 buckets, since only, as the UI asks) for
 * all time and the last 7 days, 24 hours and hour of the data, against `store.alertStats`
 * directly and against counting the rows (`fromRows`, the reference), `--stats-rounds` times.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { AlertBus, buildApp, findAlerts, TokenStore, type AlertFilters } from '../src/server/index.ts';
import { SqliteStore } from '../src/store/index.ts';
import { BENCH_T0, fillBenchAlerts } from './alert-gen.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '200' },
    db: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'stats-rounds': { type: 'string', default: '5' },
    only: { type: 'string' },
  },
});
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-api-'));
const dbFile = values.db ?? join(dir, 'bench.db');
const T0 = BENCH_T0;

const SHAPES: [string, AlertFilters][] = [
  ['newest page', {}],
  ['priority>=Critical', { priority: 'Critical' }],
  ['rule', { rule: 'Rule 7' }],
  ['pod+namespace', { namespace: 'ns-3', pod: 'ns-3-app-17' }],
  ['container', { container: '00000000012a' }],
  ['text', { q: 'openssl' }],
  ['time window', { since: new Date(T0 + N * 250).toISOString(), until: new Date(T0 + N * 250 + 3_600_000).toISOString(), order: 'oldest' }],
];

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function main(): Promise<void> {
  const store = new SqliteStore(dbFile);
  await store.migrate();
  await fillBenchAlerts(store, N);
  const tokens = new TokenStore(dir);
  const token = tokens.create('read').token;
  const app = await buildApp({ store, tokens, bus: new AlertBus(), submit: async () => '', ready: () => true, rules: { files: [], compiled: [], warnings: [] } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string) =>
    new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${res.statusCode} ${body}`))));
      });
      req.on('error', reject).end();
    });
  // the second page needs a cursor from the first
  const first = await findAlerts({ store }, { limit: 100 });
  const shapes: [string, AlertFilters][] = [...SHAPES, ['second page (cursor)', { cursor: first.next }]];
  const qs = (f: AlertFilters) => new URLSearchParams(Object.entries({ limit: 100, ...f }).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString();

  console.log(`store: ${N} alerts in ${dbFile}; ${ROUNDS} sequential queries per shape and side, limit 100`);
  console.log(`${'shape'.padEnd(22)} ${'rows'.padStart(5)}  ${'api q/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  ${'store q/s'.padStart(9)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  ratio`);
  let apiTotal = 0;
  let storeTotal = 0;
  const apiAll: number[] = [];
  const storeAll: number[] = [];
  for (const [name, f] of values.only === 'stats' ? [] : shapes) {
    const path = `/api/v1/alerts?${qs(f)}`;
    // warm both sides once so the first measured query is not a cold page cache
    const rows = (JSON.parse(await get(path)) as { alerts: unknown[] }).alerts.length;
    await findAlerts({ store }, { limit: 100, ...f });
    const apiLat: number[] = [];
    const storeLat: number[] = [];
    // interleave API and direct runs so background load on the machine hits both alike
    for (let i = 0; i < ROUNDS; i++) {
      let t = performance.now();
      await get(path);
      apiLat.push(performance.now() - t);
      t = performance.now();
      await findAlerts({ store }, { limit: 100, ...f });
      storeLat.push(performance.now() - t);
    }
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    apiTotal += sum(apiLat);
    storeTotal += sum(storeLat);
    apiAll.push(...apiLat);
    storeAll.push(...storeLat);
    const aq = (1000 * ROUNDS) / sum(apiLat);
    const sq = (1000 * ROUNDS) / sum(storeLat);
    console.log(
      `${name.padEnd(22)} ${String(rows).padStart(5)}  ${aq.toFixed(0).padStart(8)} ${pct(apiLat, 50).toFixed(2).padStart(7)} ${pct(apiLat, 99).toFixed(2).padStart(7)}  ${sq.toFixed(0).padStart(9)} ${pct(storeLat, 50).toFixed(2).padStart(7)} ${pct(storeLat, 99).toFixed(2).padStart(7)}  ${(aq / sq).toFixed(2)}`,
    );
  }
  if (values.only !== 'stats') {
    const n = shapes.length * ROUNDS;
    const aq = (1000 * n) / apiTotal;
    const sq = (1000 * n) / storeTotal;
    console.log(`all shapes: API ${aq.toFixed(0)} q/s (p99 ${pct(apiAll, 99).toFixed(2)} ms), store ${sq.toFixed(0)} q/s (p99 ${pct(storeAll, 99).toFixed(2)} ms); ratio API/store ${(aq / sq).toFixed(2)}`);
  }
  if (values.only !== 'list') await overview(store, get);
  agent.destroy();
  await app.close();
  await store.close();
  if (!values.keep && !values.db) rmSync(dir, { recursive: true, force: true });
  else if (existsSync(dir) && values.db) rmSync(dir, { recursive: true, force: true });
}

/**
 * The overview as the UI asks for it (`since` only, 48 buckets) for all time and the last 7
 * days, 24 hours and hour of the data: through the API, `store.alertStats` directly (summary
 * tables), and `alertStats` with `fromRows` (counting the rows, as before the summary tables),
 * the reference measured in the same run.
 */
async function overview(store: SqliteStore, get: (path: string) => Promise<string>): Promise<void> {
  const rounds = Number(values['stats-rounds']);
  const end = T0 + (N - 1) * 500 + 1;
  const ranges: [string, number | undefined][] = [['all time', undefined], ['7 days', 7 * 86_400_000], ['24 hours', 86_400_000], ['1 hour', 3_600_000]];
  console.log(`overview summary (since only, as the UI asks), best and median ms of ${rounds} rounds (rows: ${Math.max(2, Math.ceil(rounds / 3))}); rows = alertStats counting the alert rows`);
  console.log(`${'range'.padEnd(10)} ${'total'.padStart(8)}  ${'api best'.padStart(9)} ${'median'.padStart(8)}  ${'store best'.padStart(10)} ${'median'.padStart(8)}  ${'rows best'.padStart(9)}  rows/store`);
  const f = (x: number) => x.toFixed(1);
  const time = async (n: number, fn: () => Promise<unknown>): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await fn();
      out.push(performance.now() - t);
    }
    return out;
  };
  for (const [name, span] of ranges) {
    const qs = span === undefined ? 'buckets=48' : `buckets=48&since=${new Date(end - span).toISOString()}`;
    const first = JSON.parse(await get(`/api/v1/alerts/summary?${qs}`)) as { total: number; bucketMs: number; since: number };
    const q = { bucketMs: first.bucketMs, ...(span === undefined ? {} : { since: first.since }) };
    const fromRows = await store.alertStats({ ...q, fromRows: true });
    const fromSummary = await store.alertStats(q);
    if (JSON.stringify(fromRows) !== JSON.stringify(fromSummary)) throw new Error(`${name}: the summary tables and the rows disagree`);
    const api = await time(rounds, () => get(`/api/v1/alerts/summary?${qs}`));
    const direct = await time(rounds, () => store.alertStats(q));
    const rows = await time(Math.max(2, Math.ceil(rounds / 3)), () => store.alertStats({ ...q, fromRows: true }));
    const best = (xs: number[]) => Math.min(...xs);
    console.log(
      `${name.padEnd(10)} ${String(first.total).padStart(8)}  ${f(best(api)).padStart(9)} ${f(pct(api, 50)).padStart(8)}  ${f(best(direct)).padStart(10)} ${f(pct(direct, 50)).padStart(8)}  ${f(best(rows)).padStart(9)}  ${(best(rows) / best(direct)).toFixed(1).padStart(9)}x`,
    );
  }
}

await main();
