/**
 * k3s-aware benchmarking: Vigil's own CIS k3s definitions run on a NodeView, benchmark
 * selection by k3s version for kube-bench's definition sets, and version detection.
 * @module
 */
import { fileURLToPath } from 'node:url';
import { warning, type Diagnostic } from '../../../core/index.ts';
import { loadBenchmark, runBenchmark, type BenchReport } from '../benchmark.ts';
import { K3sRunner } from './k3s-runner.ts';
import type { NodeView } from './node-view.ts';

export { HostNodeView, RecordedNodeView, type FileInfo, type NodeView } from './node-view.ts';
export { k3sFacts, mergedConfig, parseArgv, processOptions, type K3sFacts } from './facts.ts';
export { K3sRunner, globNode } from './k3s-runner.ts';

/** Where Vigil's own k3s definitions live. */
export const vigilK3sDefinitions = fileURLToPath(
  new URL('../definitions/vigil-k3s-cis', import.meta.url),
);

/** kube-bench's k3s benchmark for a Kubernetes minor version (newer versions use Rancher's sets). */
export function kubeBenchSetFor(version: string | undefined): string {
  const m = /v?1\.(\d+)/.exec(version ?? '');
  const minor = m ? Number(m[1]) : 29;
  if (minor <= 23) return 'k3s-cis-1.23';
  if (minor === 24) return 'k3s-cis-1.24';
  if (minor === 25) return 'k3s-cis-1.7';
  if (minor === 26) return 'k3s-cis-1.8';
  if (minor <= 29) return 'k3s-cis-1.9';
  if (minor <= 30) return 'k3s-cis-1.10';
  if (minor <= 31) return 'k3s-cis-1.11';
  return 'k3s-cis-1.12';
}

/** Runs Vigil's k3s definitions on a node; agents run only the node section. */
export async function runVigilK3s(
  node: NodeView,
  opts: { skip?: string[]; groups?: string[]; checks?: string[] } = {},
): Promise<{
  report: BenchReport;
  diagnostics: Diagnostic[];
  version?: string;
  role: string;
  datastore: string;
}> {
  const runner = new K3sRunner(node);
  const facts = await runner.getFacts();
  const b = loadBenchmark(vigilK3sDefinitions);
  const targets = facts.role === 'agent' ? ['node'] : undefined;
  const r = await runBenchmark(b, runner, {
    applies: runner.applies,
    skip: opts.skip,
    groups: opts.groups,
    checks: opts.checks,
    targets,
    detectedVersion: facts.version,
  });
  if (facts.role === 'unknown' && !facts.journal.length && !Object.keys(facts.config).length) {
    r.diagnostics.unshift(
      warning(
        'BENCH_NO_K3S',
        'no k3s process, journal or /etc/rancher/k3s/config.yaml found on this node (use --node-root for a recorded node)',
      ),
    );
  }
  return { ...r, version: facts.version, role: facts.role, datastore: facts.datastore };
}
