/**
 * Delivery throughput: alerts/s through outbox + store + one HTTP channel (receiver in a child
 * process), against raw inserts of the same rows into the same database, measured in one run.
 *
 *   node --import tsx bench/delivery.ts [--n 20000] [--store sqlite|postgres] [--pg URL] [--concurrency 32]
 *
 * Prints alerts/s for each and the ratio (goal >= 0.3). Raw inserts are reported two ways:
 * one transaction per row (the durability the outbox gives each alert) and one per 256 rows.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { Alert } from '../src/core/index.ts';
import { createHttpChannel, DEFAULT_FORMAT, Outbox } from '../src/outputs/index.ts';
import { newId, PostgresStore, SqliteStore, type Store } from '../src/store/index.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '20000' },
    store: { type: 'string', default: 'sqlite' },
    pg: { type: 'string', default: process.env.VIGIL_TEST_PG_URL ?? 'postgres://vigil:vigil@127.0.0.1:5433/vigil_test' },
    receiver: { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '32' },
  },
});

if (values.receiver) {
  // child mode: a minimal webhook receiver that counts distinct ids
  const http = await import('node:http');
  const ids = new Set<string>();
  const srv = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      ids.add(String(req.headers['x-vigil-alert-id']));
      res.writeHead(200).end();
    });
  });
  srv.keepAliveTimeout = 60_000;
  srv.listen(0, '127.0.0.1', () => process.send!({ port: (srv.address() as { port: number }).port }));
  process.on('message', () => process.send!({ count: ids.size }));
} else {
  await main();
}

function alert(i: number): Alert {
  return {
    hostname: 'bench-node',
    output: `2026-01-01T00:00:00.000000000+0000: Warning Shell spawned in a container (user=root container_id=abc${i % 100} proc.cmdline=bash -c id)`,
    output_fields: { 'evt.time': 1767225600000000000 + i, 'container.id': `abc${i % 100}`, 'proc.cmdline': 'bash -c id', 'proc.pid': 1000 + i, 'user.name': 'root' },
    priority: 'Warning',
    rule: 'Terminal shell in container',
    source: 'syscall',
    tags: ['container', 'shell', 'mitre_execution'],
    time: new Date(1767225600000 + i).toISOString(),
  };
}

async function openStore(kind: string, dir: string): Promise<Store> {
  if (kind === 'postgres') {
    const s = new PostgresStore(values.pg!);
    await s.migrate();
    await s.clear();
    return s;
  }
  const s = new SqliteStore(join(dir, 'bench.db'));
  await s.migrate();
  return s;
}

async function rawInserts(store: Store, n: number, perTx: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i += perTx) {
    const rows = [];
    for (let j = i; j < Math.min(n, i + perTx); j++) rows.push({ id: newId(), ts: 1767225600000 + j, alert: alert(j) });
    await store.addAlerts(rows, []); // the same insert path, no outbox rows
  }
  return n / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const n = Number(values.n);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const rx = fork(new URL(import.meta.url).pathname, ['--receiver'], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((r) => rx.once('message', (m: { port: number }) => r(m.port)));
  const count = (): Promise<number> => new Promise((r) => { rx.once('message', (m: { count: number }) => r(m.count)); rx.send('count'); });
  const store = await openStore(values.store!, dir);
  try {
    const rawRow = await rawInserts(store, Math.min(n, 5000), 1);
    const rawBatch = await rawInserts(store, n, 256);
    await store.clear();

    const outbox = new Outbox(store, [createHttpChannel({ url: `http://127.0.0.1:${port}/`, concurrency: Number(values.concurrency) }, DEFAULT_FORMAT)]);
    outbox.start();
    const t0 = performance.now();
    // the engine hands alerts over as they come: 100 per macrotask, not one giant batch
    const pending: Promise<string>[] = [];
    for (let i = 0; i < n; i++) {
      pending.push(outbox.submit(alert(i)));
      if (i % 100 === 99) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(pending);
    await outbox.drain(600_000);
    const secs = (performance.now() - t0) / 1000;
    await outbox.stop();
    const got = await count();
    const through = n / secs;
    console.log(`store=${store.kind} n=${n} receiver distinct ids=${got}${got === n ? '' : ' (MISSING ALERTS)'}`);
    console.log(`raw inserts, 1 row/tx      : ${rawRow.toFixed(0)} alerts/s`);
    console.log(`raw inserts, 256 rows/tx   : ${rawBatch.toFixed(0)} alerts/s`);
    console.log(`outbox+store+HTTP delivered: ${through.toFixed(0)} alerts/s`);
    console.log(`ratio vs raw 1 row/tx      : ${(through / rawRow).toFixed(2)}x`);
    console.log(`ratio vs raw 256 rows/tx   : ${(through / rawBatch).toFixed(2)}x (goal >= 0.3x)`);
  } finally {
    await store.close();
    rx.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
