/**
 * Shared pieces of the live sensor suites: why this host cannot run them, building the C test
 * helpers, capturing while an action runs, and replaying a capture through the official rules.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Alert } from '../../src/core/index.ts';
import { loadSyscallRulesText, SyscallEngine } from '../../src/engine/index.ts';
import { toAlert } from '../../src/rules/index.ts';
import { ContainerMetadataResolver } from '../../src/k8s/index.ts';
import { applyContainerMetadata, ContainerGate, sensorProblems, startSensor, type SensorStats } from '../../src/sources/index.ts';
import { syscallTable, type SyscallEvent } from '../../src/sources/index.ts';

/** A skip message naming every reason the live sensor cannot run here, or false. */
export function sensorSkip(): false | string {
  const p = sensorProblems();
  if (!p.length) return false;
  const msg = `live sensor unavailable: ${p.map((x) => `${x.code}: ${x.message}`).join('; ')}`;
  console.log(`# SKIP ${msg}`);
  return msg;
}

/** Compiles a C file of this folder into dir; returns the binary path. */
export function buildC(source: string, dir: string, name: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const out = join(dir, name);
  execFileSync('gcc', ['-O1', '-o', out, join(import.meta.dirname, source)], { stdio: 'pipe' });
  return out;
}

/** Runs `action` with the sensor writing `file`; returns the last stats the loader printed. */
export async function captureDuring(file: string, action: () => Promise<void>, syscalls?: string[]): Promise<{ stats: SensorStats; log: string[] }> {
  const log: string[] = [];
  let attached!: () => void;
  const ready = new Promise<void>((r) => { attached = r; });
  const s = startSensor({ file, syscalls, onLog: (l) => { log.push(l); if (/attached/.test(l)) attached(); } });
  const exitedEarly = s.exited.then((code) => { throw new Error(`sensor exited (${code}) before attaching: ${log.join(' | ')}`); });
  await Promise.race([ready, exitedEarly]);
  try {
    await action();
    // let the ring buffer drain: the loader prints stats about once a second
    await new Promise((r) => setTimeout(r, 1500));
  } finally {
    exitedEarly.catch(() => undefined);
    await s.stop();
  }
  return { stats: s.stats, log };
}

/** An alert with the values of chosen fields read from its event at alert time. */
export interface SeenAlert { alert: Alert; pids: number[]; fields: Record<string, string> }

/** Options of `replayAlerts`. */
export interface ReplayOptions {
  /**
   * Read container metadata (image, labels, privileged, pod) from containerd while replaying,
   * through the same gate as `vigil run`: for captures of containers still running.
   */
  containerMetadata?: boolean;
}

/** Replays a capture through rules files (every matching rule fires); renders `fields` per alert as outputs do. */
export async function replayAlerts(file: string, ruleFiles: string[], fields: string[], opts: ReplayOptions = {}): Promise<SeenAlert[]> {
  // a rule that never matches, whose output lists the fields: its formatter renders them as Falco prints them
  const probeName = 'vigil test field probe';
  const probe = `- rule: ${probeName}\n  desc: renders fields\n  condition: evt.num < 0\n  output: "${fields.map((f) => `%${f}`).join(' ')}"\n  priority: DEBUG\n`;
  const files = [...ruleFiles.map((p) => ({ name: p, content: readFileSync(p, 'utf8') })), { name: 'probe.yaml', content: probe }];
  const { result, ruleset } = loadSyscallRulesText(files, { ruleMatching: 'all' });
  if (!result.ok) throw new Error(`rules did not load: ${result.errors.map((d) => d.message).join('; ')}`);
  const probeRule = result.rules.find((r) => r.name === probeName)!;
  const table = syscallTable();
  const get = (ev: SyscallEvent, name: string, arg?: string): string | undefined => {
    const l = table.lookup(name);
    if (!l?.def.extract) return undefined;
    const v = l.def.extract(ev, arg ?? l.impliedArg);
    return v === undefined || v === null ? undefined : String(v);
  };
  const seen: SeenAlert[] = [];
  const engine = new SyscallEngine(ruleset, {
    onAlert: (alert, _rule, ev) => {
      const pids: number[] = [];
      for (const a of [undefined, '1', '2', '3', '4', '5']) {
        const v = a ? get(ev, 'proc.apid', a) : get(ev, 'proc.pid');
        if (v !== undefined) pids.push(Number(v));
      }
      const rendered = toAlert(probeRule, ev, { hostname: 'test', timeNs: ev.e.ts }).output_fields;
      seen.push({ alert, pids, fields: Object.fromEntries(fields.map((f) => [f, rendered[f] === null || rendered[f] === undefined ? '<NA>' : String(rendered[f])])) });
    },
  });
  if (!opts.containerMetadata) {
    await engine.run(file, file);
    return seen;
  }
  const containers = new ContainerMetadataResolver({ onUpdate: (m) => applyContainerMetadata(engine.state, m) });
  await containers.start();
  try {
    await engine.run(containers.available ? createReadStream(file).pipe(new ContainerGate(engine.state, containers)) : file, file);
  } finally {
    containers.stop();
  }
  return seen;
}

/** Whether a command is on PATH. */
export function have(cmd: string): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, cmd)));
}
