/**
 * `vigil bench k3s`: the CIS k3s benchmark on this node (or a recorded node directory).
 * Default: Vigil's k3s-aware definitions. `--benchmark k3s-cis-1.N --cfg-dir DIR` runs
 * kube-bench's own definition sets instead. Exit codes: 0 no FAIL, 1 some FAIL, 2 misuse.
 * @module
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { VigilError, type Diagnostic } from '../core/index.ts';
import {
  benchText,
  benchToGeneric,
  benchToPrometheus,
  FixtureRunner,
  HostNodeView,
  HostRunner,
  k3sFacts,
  kubeBenchSetFor,
  loadBenchmark,
  RecordedNodeView,
  runBenchmark,
  runVigilK3s,
  toHtml,
  toJUnit,
  toSarif,
  type BenchReport,
} from '../compliance/index.ts';
import { collect, printDiagnostics, reportInputError } from './render.ts';

const formats = ['text', 'json', 'junit', 'sarif', 'html', 'prometheus'];

interface Opts {
  output?: string[];
  benchmark?: string;
  cfgDir?: string;
  nodeRoot?: string;
  skip?: string;
  check?: string;
  group?: string;
  outputFile?: string;
}

async function run(
  opts: Opts,
): Promise<{ report: BenchReport; diagnostics: Diagnostic[]; name: string; version?: string }> {
  const node = opts.nodeRoot ? new RecordedNodeView(opts.nodeRoot) : new HostNodeView();
  const ids = (v?: string) =>
    v
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  const skip = ids(opts.skip);
  const sel = { groups: ids(opts.group), checks: ids(opts.check) };
  if (!opts.benchmark || opts.benchmark === 'vigil-k3s-cis') {
    const r = await runVigilK3s(node, { skip, ...sel });
    return { ...r, name: 'vigil-k3s-cis' };
  }
  if (!opts.cfgDir)
    throw new VigilError(
      'BENCH_NO_CFG_DIR',
      `--benchmark ${opts.benchmark} needs --cfg-dir (a kube-bench cfg directory)`,
    );
  const facts = await k3sFacts(node);
  const name = opts.benchmark === 'auto' ? kubeBenchSetFor(facts.version) : opts.benchmark;
  const dir = join(opts.cfgDir, name);
  if (!existsSync(dir))
    throw new VigilError('BENCH_NO_DEFINITIONS', `no definition set ${name} in ${opts.cfgDir}`, {
      file: dir,
    });
  const runner = opts.nodeRoot ? new FixtureRunner(opts.nodeRoot) : new HostRunner();
  try {
    const r = await runBenchmark(loadBenchmark(dir), runner, {
      skip,
      ...sel,
      detectedVersion: facts.version,
    });
    return { ...r, name, version: facts.version };
  } finally {
    if (runner instanceof FixtureRunner) runner.close();
  }
}

/** Registers `vigil bench k3s`. */
export function benchCommands(program: Command): void {
  const bench = program.command('bench').description('CIS benchmarks');
  bench
    .command('k3s')
    .description('run the CIS k3s benchmark on this node')
    .option('-o, --output <format>', `output format: ${formats.join(', ')}`, collect)
    .option(
      '--benchmark <name>',
      'vigil-k3s-cis (default), auto, or a kube-bench set such as k3s-cis-1.9 (needs --cfg-dir)',
    )
    .option('--cfg-dir <dir>', "kube-bench's cfg directory holding the definition sets")
    .option('--node-root <dir>', 'a recorded node (root/ + node.yaml) instead of this host')
    .option('--skip <ids>', 'comma-separated check ids to skip')
    .option('--check <ids>', 'run only these comma-separated check ids')
    .option('--group <ids>', 'run only these comma-separated group ids (e.g. 1.2)')
    .option('--output-file <file>', 'write the report here instead of stdout')
    .action(async (opts: Opts) => {
      const fmt = (opts.output ?? ['text']).find((x) => !x.includes('=')) ?? 'text';
      if (!formats.includes(fmt)) {
        process.stderr.write(`unknown output format '${fmt}'\n`);
        process.exitCode = 2;
        return;
      }
      let r;
      try {
        r = await run(opts);
      } catch (e) {
        reportInputError(e);
        return;
      }
      if (r.diagnostics.some((d) => d.code === 'BENCH_NO_K3S')) {
        // a node without k3s would only produce meaningless failures
        printDiagnostics(r.diagnostics.filter((d) => d.code === 'BENCH_NO_K3S'));
        process.exitCode = 2;
        return;
      }
      const title = `CIS k3s benchmark (${r.name}${r.version ? `, k3s ${r.version}` : ''})`;
      const out =
        fmt === 'json'
          ? JSON.stringify(r.report, null, 2) + '\n'
          : fmt === 'junit'
            ? toJUnit(benchToGeneric(r.report, title))
            : fmt === 'sarif'
              ? JSON.stringify(toSarif(benchToGeneric(r.report, title)), null, 2) + '\n'
              : fmt === 'html'
                ? toHtml(benchToGeneric(r.report, title))
                : fmt === 'prometheus'
                  ? benchToPrometheus(r.report, r.name)
                  : benchText(r.report);
      printDiagnostics(r.diagnostics);
      if (opts.outputFile) writeFileSync(opts.outputFile, out);
      else process.stdout.write(out);
      process.exitCode = r.report.Totals.total_fail > 0 ? 1 : 0;
    });
}
