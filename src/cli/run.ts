/**
 * `vigil run`: live detection on this host with the eBPF sensor until SIGINT/SIGTERM, alerts to
 * stdout (Falco's text line, or its JSON shape with -o json) and to the outputs -c/-o enable,
 * through the durable outbox. `vigil capture`: write a capture.
 * Exit codes: 0 stopped cleanly, 1 rules errors or sensor failure, 2 misuse, 3 host cannot run the sensor.
 * @module
 */
import type { Command } from 'commander';
import type { Readable } from 'node:stream';
import { formatDiagnostic, VigilError } from '../core/index.ts';
import { adaptiveSyscalls, loadSyscallRules, summaryLines, SyscallEngine } from '../engine/index.ts';
import { applyContainerMetadata, ContainerGate, DropMonitor, SensorSupervisor, sensorProblems, startSensor } from '../sources/index.ts';
import { collect, DEFAULT_RULES, printDiagnostics, ruleFilesOrDefault } from './render.ts';
import { loadDetectConfigOrReport, openAlertSink, openDetectRecorder } from './detect-output.ts';
import { handleStopSignals } from './signals.ts';

interface RunOpts {
  rules?: string[];
  output?: string[];
  ruleMatching?: string;
  minPriority?: string;
  drainTimeout?: string;
  snaplen: string;
  duration?: string;
  quiet?: boolean;
  db?: string;
  config?: string;
  containerdSocket?: string;
  containers?: boolean;
}

/** Explains why the sensor cannot run; true when it can. */
function hostReady(): boolean {
  const problems = sensorProblems();
  for (const p of problems) process.stderr.write(`error ${p.code}: ${p.message}\n`);
  return problems.length === 0;
}

async function run(opts: RunOpts): Promise<number> {
  const files = ruleFilesOrDefault(opts.rules);
  if (!files) return 2;
  const dc = loadDetectConfigOrReport(opts);
  if (typeof dc === 'number') return dc;
  const { result, ruleset, readErrors } = loadSyscallRules(files, { minPriority: dc.minPriority, ruleMatching: dc.ruleMatching, appendOutput: dc.appendOutput });
  if (readErrors.length || !result.ok) {
    printDiagnostics([...readErrors, ...result.errors]);
    return 1;
  }
  if (!hostReady()) return 3;
  // Like Falco's adaptive syscalls: only what the loaded rules can match (the sensor adds what state needs).
  const syscalls = adaptiveSyscalls(result.rules);
  // with --db the outbox keeps alerts there: what a down output did not get is sent next run
  const sink = await openAlertSink({ loaded: dc, store: opts.db, live: true });
  const drops = new DropMonitor();
  // supervised: a crashed or killed loader is reported and restarted with back-off (state is kept)
  const sensor = new SensorSupervisor({
    syscalls,
    snaplen: Number(opts.snaplen) || 80,
    durationSeconds: opts.duration ? Number(opts.duration) : undefined,
    onStats: (s) => {
      const a = drops.observe(s);
      if (a) sink.submit(a);
    },
    onLog: (line) => {
      if (!opts.quiet) process.stderr.write(line + '\n');
    },
    onExit: (x) => process.stderr.write(`vigil: sensor exited (${x.signal ?? `code ${x.code}`})${x.willRestart ? `; restart ${x.restarts} in ${x.delayMs} ms` : '; not restarting'}\n`),
  });
  // first signal: stop the sensor, then deliver what was accepted; a later one stops waiting
  const offSignals = handleStopSignals(() => void sensor.stop(), () => sink.abort());
  const recorder = opts.db ? await openDetectRecorder(opts.db, sink) : undefined;
  let alerts = 0;
  const engine = new SyscallEngine(ruleset, {
    // a slow stdout holds the engine (its gate), so alerts never pile up in memory: the sensor drops instead
    gate: () => sink.congested(),
    iso8601: sink.config.time_format_iso_8601,
    onEvent: recorder?.onEvent,
    onAlert: (a) => {
      alerts++;
      recorder?.onAlert(a);
      sink.submit(a);
    },
  });
  // container metadata (image, pod) from containerd; without it detection goes on with container ids only
  // loaded only when wanted: the gRPC client costs ~20 MB of RSS
  const containers = opts.containers === false ? undefined : new (await import('../k8s/index.ts')).ContainerMetadataResolver({
    socket: opts.containerdSocket, onUpdate: (m) => applyContainerMetadata(engine.state, m),
    onError: (e) => { if (!opts.quiet) process.stderr.write(`vigil: ${e.code}: ${e.message}\n`); },
  });
  await containers?.start();
  const gates: ContainerGate[] = [];
  const input = (s: Readable): Readable => {
    if (!containers?.available) return s;
    const g = new ContainerGate(engine.state, containers);
    gates.push(g);
    return s.pipe(g);
  };
  let code = 0;
  const exit = await sensor.run((stream) => engine.run(input(stream), 'live').catch((e: unknown) => {
    if (!(e instanceof VigilError)) throw e;
    // a stream cut by a crash ends in a partial block; anything else is worth showing too
    process.stderr.write(formatDiagnostic(e.diagnostic) + '\n');
  }));
  containers?.stop();
  await sink.close();
  offSignals();
  if (recorder) {
    const saved = await recorder.close();
    if (!opts.quiet) process.stderr.write(`stored in ${opts.db}: ${alerts} alerts, ${saved.activities} activity records\n`);
  }
  if (exit !== 0 && exit !== 128) code = exit === 3 ? 3 : 1;
  if (!opts.quiet) {
    process.stderr.write(summaryLines(engine.counters).join('\n') + '\n');
    process.stderr.write(`sensor: ${sensor.stats.sent} events sent, ${sensor.stats.lost} lost, ${sensor.restarts} restarts\n`);
    if (containers?.available) {
      const g = gates.reduce((a, x) => ({ held: a.held + x.stats.held, timedOut: a.timedOut + x.stats.timedOut }), { held: 0, timedOut: 0 });
      process.stderr.write(`containers: ${containers.all().length} known from containerd (${containers.socket}); ${g.held} waited for metadata, ${g.timedOut} timed out\n`);
    }
  }
  return code;
}

async function capture(opts: { write: string; duration?: string; snaplen: string; syscalls?: string }): Promise<number> {
  if (!hostReady()) return 3;
  const sensor = startSensor({
    file: opts.write,
    snaplen: Number(opts.snaplen) || 80,
    durationSeconds: opts.duration ? Number(opts.duration) : undefined,
    syscalls: opts.syscalls ? opts.syscalls.split(',') : undefined,
    onLog: (line) => process.stderr.write(line + '\n'),
  });
  const stop = () => void sensor.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const exit = await sensor.exited;
  process.stderr.write(`capture ${opts.write}: ${sensor.stats.written} events written, ${sensor.stats.lost} lost\n`);
  return exit === 0 || exit === 128 ? 0 : exit === 3 ? 3 : 1;
}

/** Registers `vigil run` and `vigil capture`. */
export function runCommands(program: Command): void {
  program
    .command('run')
    .description('live detection on this host with the eBPF sensor (root), alerts to stdout and the configured outputs until stopped')
    .option('-r, --rules <file>', `rules file (repeatable; default ${DEFAULT_RULES})`, collect)
    .option('-o, --output <format>', 'json or text (repeatable; Falco key=value overrides such as json_output=true)', collect)
    .option('-c, --config <file>', 'vigil.yaml (Falco keys): outputs beyond stdout (file, syslog, program, http) go through the outbox')
    .option('--rule-matching <mode>', 'first or all (default: rule_matching from -c, else first)')
    .option('--min-priority <priority>', 'ignore rules below this priority (default: priority from -c, else debug)')
    .option('--drain-timeout <seconds>', 'at exit, wait this long for outputs to take undelivered alerts (default: outbox.drain_timeout_seconds, 30)')
    .option('--snaplen <bytes>', 'bytes of I/O buffers captured', '80')
    .option('--duration <seconds>', 'stop after this many seconds')
    .option('-q, --quiet', 'no sensor log or summary on stderr')
    .option('--db <url>', 'also store alerts and the activity audit (SQLite path or postgres:// URL); the outbox keeps undelivered alerts there')
    .option('--containerd-socket <path>', 'containerd socket for container and pod metadata (default: k3s, then containerd)')
    .option('--no-containers', 'do not ask containerd for container metadata')
    .action(async (opts: RunOpts) => {
      process.exitCode = await run(opts);
    });
  program
    .command('capture')
    .description('write a .scap capture from the live sensor (readable by vigil replay, sysdig and Falco)')
    .requiredOption('-w, --write <file>', 'capture file to write')
    .option('--duration <seconds>', 'stop after this many seconds')
    .option('--snaplen <bytes>', 'bytes of I/O buffers captured', '80')
    .option('--syscalls <names>', 'comma-separated syscalls to capture (default: all the sensor knows)')
    .action(async (opts: { write: string; duration?: string; snaplen: string; syscalls?: string }) => {
      process.exitCode = await capture(opts);
    });
}
