/**
 * bench/replay: events per second of Vigil (scap reader + state + the official stable,
 * incubating and sandbox rules) against `sysdig -r` on the same capture with a filter made
 * of the rules' conditions that sysdig can parse, measured in the same run; plus peak RSS.
 *
 * The ≥1M-event input is generated from a shared capture: its metadata blocks, then its event
 * blocks repeated with shifted timestamps (until the live sensor can record one).
 *
 * Usage: npx tsx bench/replay.ts [--events N] [--capture FILE] [--keep]
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { conformancePath } from '../src/core/index.ts';
import { loadSyscallRules, SyscallEngine } from '../src/engine/index.ts';

const RULE_FILES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'];
const EVENT_BLOCKS = new Set([0x204, 0x8010abcd, 0x216, 0x221, 0x208, 0x217, 0x222]);

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Writes a capture of at least `target` events built from `source`; returns the event count. */
function generate(source: string, out: string, target: number): number {
  const raw = readFileSync(source);
  const buf = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  const header: Buffer[] = [];
  const events: { block: Buffer; tsAt: number }[] = [];
  for (let p = 0; p + 12 <= buf.length; ) {
    const type = buf.readUInt32LE(p);
    const len = buf.readUInt32LE(p + 4);
    const block = buf.subarray(p, p + len);
    if (EVENT_BLOCKS.has(type)) events.push({ block, tsAt: 8 + 2 + (type === 0x208 || type === 0x217 || type === 0x222 ? 4 : 0) });
    else if (events.length === 0) header.push(block);
    p += len;
  }
  const t0 = events[0].block.readBigUInt64LE(events[0].tsAt);
  const t1 = events[events.length - 1].block.readBigUInt64LE(events[events.length - 1].tsAt);
  const span = t1 - t0 + 1000n;
  const fd = openSync(out, 'w');
  for (const h of header) writeSync(fd, h);
  let n = 0;
  for (let rep = 0; n < target; rep++) {
    const chunk = Buffer.concat(events.map((e) => e.block));
    let q = 0;
    for (const e of events) {
      chunk.writeBigUInt64LE(e.block.readBigUInt64LE(e.tsAt) + BigInt(rep) * span, q + e.tsAt);
      q += e.block.length;
    }
    writeSync(fd, chunk);
    n += events.length;
  }
  closeSync(fd);
  return n;
}

/** Rules' compiled conditions that sysdig accepts as filters, joined with `or`. */
function sysdigFilter(conditions: string[], probeFile: string): { filter: string; accepted: number } {
  const ok: string[] = [];
  for (const c of conditions) {
    const r = spawnSync('sysdig', ['-r', probeFile, '-q', c], { encoding: 'utf8' });
    if (r.status === 0) ok.push(`(${c})`);
  }
  return { filter: ok.join(' or '), accepted: ok.length };
}

/** Runs Vigil in this process (child mode) and prints JSON stats. */
async function childVigil(file: string): Promise<void> {
  const dir = conformancePath('falco', 'rules')!;
  const { result, ruleset } = loadSyscallRules(RULE_FILES.map((f) => join(dir, f)));
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  let alerts = 0;
  const engine = new SyscallEngine(ruleset, { onAlert: () => alerts++ });
  const t = process.hrtime.bigint();
  const c = await engine.run(file);
  const ns = Number(process.hrtime.bigint() - t);
  process.stdout.write(JSON.stringify({ events: c.eventsRead, alerts, seconds: ns / 1e9, maxRssKb: process.resourceUsage().maxRSS, rules: ruleset.enabledCount() }) + '\n');
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return childVigil(process.argv[3]);
  const target = Number(arg('--events') ?? 1_000_000);
  const scapDir = conformancePath('falco', 'scap');
  const rulesDir = conformancePath('falco', 'rules');
  if (!scapDir || !rulesDir) {
    console.log('conformance data not found: nothing to benchmark');
    return;
  }
  const source = arg('--capture') ?? join(scapDir, 'libs', 'curl_google.scap');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const file = join(dir, 'bench.scap');
  const n = generate(source, file, target);
  console.log(`capture: ${n} events from ${source} (${file})`);

  const self = fileURLToPath(import.meta.url);
  const vr = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (vr.status !== 0) throw new Error(`vigil run failed: ${vr.stderr}`);
  const v = JSON.parse(vr.stdout.trim().split('\n').pop()!) as { events: number; alerts: number; seconds: number; maxRssKb: number; rules: number };
  const vRate = v.events / v.seconds;
  console.log(`vigil : ${v.events} events in ${v.seconds.toFixed(2)} s = ${Math.round(vRate)} events/s, ${v.alerts} alerts, ${v.rules} rules, peak RSS ${(v.maxRssKb / 1024).toFixed(0)} MB`);

  const hasSysdig = spawnSync('sysdig', ['--version']).status === 0;
  if (!hasSysdig) {
    console.log('sysdig not installed: no reference measurement (apt-get install sysdig)');
  } else {
    const { result } = loadSyscallRules(RULE_FILES.map((f) => join(rulesDir, f)));
    const { filter, accepted } = sysdigFilter(result.rules.filter((r) => r.source === 'syscall').map((r) => r.compiled), source);
    const timeBin = existsSync('/usr/bin/time');
    const cmd = timeBin ? '/usr/bin/time' : 'sysdig';
    const args = timeBin ? ['-f', '%M', 'sysdig', '-r', file, filter] : ['-r', file, filter];
    const t = process.hrtime.bigint();
    const sr = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
    const secs = Number(process.hrtime.bigint() - t) / 1e9;
    const sRate = n / secs;
    const rss = timeBin ? Number(sr.stderr.trim().split('\n').pop()) / 1024 : NaN;
    console.log(`sysdig: ${n} events in ${secs.toFixed(2)} s = ${Math.round(sRate)} events/s with ${accepted}/${result.rules.length} rule conditions as filter, peak RSS ${Number.isNaN(rss) ? '?' : rss.toFixed(0)} MB (exit ${sr.status})`);
    console.log(`ratio vigil/sysdig: ${(vRate / sRate).toFixed(2)}x (goal >= 1.0)`);
  }
  console.log(`peak RSS goal <= 150 MB for 1M events: ${(v.maxRssKb / 1024).toFixed(0)} MB`);
  if (process.argv.includes('--keep')) console.log(`kept ${file}`);
  else rmSync(dir, { recursive: true, force: true });
  void writeFileSync;
}

await main();
