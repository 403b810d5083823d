#!/usr/bin/env node
// Start-up cost of `vigil` commands from the built dist/ against src/ through tsx, measured side
// by side: runs alternate between the two trees so machine load hits both alike; prints the best
// wall time and the peak RSS (from /usr/bin/time) of each, and their ratio.
// Usage: node scripts/startup-bench.mjs [--runs N] [--capture FILE.scap --rules FILE.yaml]
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/vigil.mjs', import.meta.url));
const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Number(opt('--runs') ?? 5);
const TIME = '/usr/bin/time';
if (!existsSync(TIME)) {
  process.stderr.write('startup-bench: needs /usr/bin/time (Debian package "time") for peak RSS\n');
  process.exit(1);
}

const commands = [['--version'], ['run', '--help'], ['rules', 'validate', 'rules/vigil_rules.yaml']];
const capture = opt('--capture');
if (capture) commands.push(['replay', ...(opt('--rules') ? ['-r', opt('--rules')] : []), '-o', 'json', capture]);

/** One run: wall seconds and peak RSS in MB, or an error naming the command. */
function once(cmd, fromSource) {
  const r = spawnSync(TIME, ['-f', '%e %M', process.execPath, bin, ...cmd], {
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, VIGIL_FROM_SOURCE: fromSource ? '1' : '', VIGIL_LOADER_TRACE: '1' },
  });
  const lines = r.stderr.trim().split('\n');
  const [secs, kb] = lines.at(-1).split(' ').map(Number);
  const tree = lines.some((l) => l.startsWith('vigil: running built dist/')) ? 'dist' : 'source';
  if (!fromSource && tree !== 'dist') throw new Error('dist/ is missing or stale: run `npm run build` first');
  return { secs, mb: kb / 1024 };
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`load average before: ${load()}; best of ${runs} runs each, alternating`);
console.log('command'.padEnd(44), 'dist s / MB'.padEnd(16), 'tsx s / MB'.padEnd(16), 'time ratio', 'RSS ratio');
for (const cmd of commands) {
  const best = { dist: { secs: Infinity, mb: Infinity }, src: { secs: Infinity, mb: Infinity } };
  for (let i = 0; i < runs; i++) {
    for (const [key, fromSource] of [['dist', false], ['src', true]]) {
      const r = once(cmd, fromSource);
      best[key].secs = Math.min(best[key].secs, r.secs);
      best[key].mb = Math.min(best[key].mb, r.mb);
    }
  }
  const f = (b) => `${b.secs.toFixed(2)} / ${b.mb.toFixed(0)}`.padEnd(16);
  const name = `vigil ${cmd.join(' ')}`.slice(0, 43).padEnd(44);
  console.log(name, f(best.dist), f(best.src), (best.dist.secs / best.src.secs).toFixed(2).padEnd(10), (best.dist.mb / best.src.mb).toFixed(2));
}
console.log(`load average after: ${load()}`);
