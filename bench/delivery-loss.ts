/**
 * The no-loss scenario from issue 5, measured: N alerts (default 10,000) go into the outbox
 * while the HTTP target is down for D seconds (default 30); once it is back, the sending
 * process is killed with SIGKILL in the middle of delivering, then restarted. Prints how many
 * distinct alert ids the receiver got (must be N) and how many duplicates it saw.
 *
 *   node --import tsx bench/delivery-loss.ts [--n 10000] [--down 30]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, Receiver } from '../test/support/receiver.ts';

const { values } = parseArgs({ options: { n: { type: 'string', default: '10000' }, down: { type: 'string', default: '30' } } });
const N = Number(values.n);
const DOWN_MS = Number(values.down) * 1000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'vigil-loss-'));
const db = join(dir, 'v.db');
const rx = new Receiver();
rx.port = await freePort();
const child = (mode: string): ChildProcess =>
  spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../src/outputs/fixtures/outbox-child.ts'), db, rx.url, mode, String(N)], { stdio: ['ignore', 'pipe', 'inherit'] });

const t0 = Date.now();
const a = child('submit');
let out = '';
a.stdout!.on('data', (c: Buffer) => (out += c));
while (!out.includes('committed')) await sleep(50);
console.log(`${N} alerts committed to the outbox in ${((Date.now() - t0) / 1000).toFixed(1)} s; target down`);
await sleep(Math.max(0, DOWN_MS - (Date.now() - t0)));
await rx.up();
console.log(`target up after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
while (rx.ids.size < N / 3) await sleep(10);
a.kill('SIGKILL');
await once(a, 'exit');
console.log(`SIGKILL with ${rx.ids.size}/${N} delivered`);
const b = child('recover');
const [code] = await once(b, 'exit');
const dup = rx.got.length - rx.ids.size;
console.log(`restarted process exited ${code}; receiver has ${rx.ids.size}/${N} distinct ids, ${dup} duplicate deliveries (${rx.got.length} POSTs)`);
console.log(rx.ids.size === N ? 'NO LOSS' : `LOST ${N - rx.ids.size}`);
await rx.down();
rmSync(dir, { recursive: true, force: true });
process.exit(rx.ids.size === N ? 0 : 1);
