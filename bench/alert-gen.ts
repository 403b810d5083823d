/**
 * The bench alerts: a deterministic spread over rules, priorities, containers, pods and
 * namespaces (xorshift), one every 500 ms from 2026-01-01, shared by bench/api and
 * bench/migrate so both measure the same data.
 * @module
 */
import { PRIORITIES, type Alert } from '../src/core/index.ts';
import { newId, type Store } from '../src/store/index.ts';

/** The time of the first bench alert. */
export const BENCH_T0 = Date.parse('2026-01-01T00:00:00Z');
/** The command words of the bench alerts' output lines. */
export const BENCH_WORDS = ['bash', 'curl', 'nc', 'python', 'sh', 'wget', 'cat', 'openssl', 'ssh', 'apt'];

let seed = 0x9e3779b9;
const rnd = (m: number) => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % m;
};

/** The i-th bench alert (call in order: the spread comes from one running generator). */
export function benchAlert(i: number): Alert {
  const ns = `ns-${rnd(20)}`;
  const pod = `${ns}-app-${rnd(50)}`;
  const c = rnd(400).toString(16).padStart(12, '0');
  const w = BENCH_WORDS[rnd(BENCH_WORDS.length)];
  const priority = PRIORITIES[[2, 3, 4, 4, 5, 5, 5, 6][rnd(8)]];
  return {
    hostname: 'bench-node',
    output: `12:00:00.000000000: ${priority} process ${w} ran in container ${c} (user=root pod=${pod} ns=${ns} cmd=${w} -x ${i})`,
    output_fields: { 'container.id': c, 'container.name': `ctr-${c.slice(-3)}`, 'k8s.ns.name': ns, 'k8s.pod.name': pod, 'proc.name': w, 'proc.pid': 1000 + (i % 30000), 'user.name': 'root' },
    priority,
    rule: `Rule ${rnd(40)}`,
    source: 'syscall',
    tags: ['bench'],
    time: new Date(BENCH_T0 + i * 500).toISOString(),
  };
}

/** Adds `n` bench alerts in batches of 5000 unless the store already holds alerts. */
export async function fillBenchAlerts(store: Store, n: number): Promise<void> {
  if ((await store.queryAlerts({ limit: 1 })).length) return;
  const t = performance.now();
  for (let i = 0; i < n; i += 5000) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + 5000); j++) batch.push({ id: newId(BENCH_T0 + j * 500), ts: BENCH_T0 + j * 500, alert: benchAlert(j) });
    await store.addAlerts(batch, []);
    if ((i / 5000) % 20 === 0) process.stderr.write(`\rfilled ${i + batch.length}/${n}`);
  }
  process.stderr.write(`\rfilled ${n} alerts in ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
}
