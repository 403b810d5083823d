/**
 * A benchmark definition set on disk (kube-bench's `cfg/<name>/`: config.yaml plus
 * master/etcd/controlplane/node/policies.yaml) and running it on one node.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { error, VigilError, type Diagnostic } from '../../core/index.ts';
import { mergeConfig, parseConfig, resolveVariables, type BenchConfig } from './config.ts';
import { parseControls, type Controls } from './model.ts';
import { runControls, type Applicability, type ControlsResult } from './run.ts';
import type { AuditRunner } from './runner.ts';

/** The controls files a definition set may have, in kube-bench's run order. */
export const controlFiles = ['master', 'etcd', 'controlplane', 'node', 'policies'] as const;

/** A loaded definition set. */
export interface Benchmark {
  name: string;
  dir: string;
  config: BenchConfig;
  controls: Controls[];
}

/** Loads `dir` (and the `config.yaml` of its parent, which the set's own config overrides). */
export function loadBenchmark(dir: string): Benchmark {
  const parentCfg = join(dirname(dir), 'config.yaml');
  let config: BenchConfig = existsSync(parentCfg)
    ? parseConfig(readFileSync(parentCfg, 'utf8'))
    : {};
  const own = join(dir, 'config.yaml');
  if (existsSync(own)) config = mergeConfig(config, parseConfig(readFileSync(own, 'utf8')));
  const controls: Controls[] = [];
  for (const f of controlFiles) {
    const p = join(dir, `${f}.yaml`);
    if (existsSync(p)) controls.push(parseControls(readFileSync(p, 'utf8'), p));
  }
  if (!controls.length)
    throw new VigilError(
      'BENCH_NO_DEFINITIONS',
      `no controls files (${controlFiles.join(', ')}.yaml) in ${dir}`,
      { file: dir },
    );
  return { name: basename(dir), dir, config, controls };
}

/** Keeps the selected groups and checks of a controls file (everything when no selection). */
function select(c: Controls, groups?: string[], checks?: string[]): Controls {
  if (!groups?.length && !checks?.length) return c;
  const gs = c.groups
    .filter((g) => !groups?.length || groups.includes(g.id))
    .map((g) => ({
      ...g,
      checks: g.checks.filter((k) => !checks?.length || checks.includes(k.id)),
    }))
    .filter((g) => g.checks.length > 0);
  return { ...c, groups: gs };
}

/** kube-bench's JSON document: controls results and totals. */
export interface BenchReport {
  Controls: ControlsResult[];
  Totals: {
    total_pass: number;
    total_fail: number;
    total_warn: number;
    total_info: number;
    total_na?: number;
  };
}

/** Options for a run. */
export interface RunOptions {
  applies?: Applicability;
  skip?: string[];
  /** Only these groups (e.g. `1.2`), like kube-bench --group. */
  groups?: string[];
  /** Only these checks (e.g. `1.1.1`), like kube-bench --check. */
  checks?: string[];
  /** Only these controls files (node types), e.g. ['node'] on an agent. */
  targets?: string[];
  detectedVersion?: string;
}

/** Runs every controls file of a benchmark on the runner's node. */
export async function runBenchmark(
  b: Benchmark,
  runner: AuditRunner,
  opts: RunOptions = {},
): Promise<{ report: BenchReport; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const results: ControlsResult[] = [];
  for (const full of b.controls) {
    if (opts.targets && !opts.targets.includes(full.type)) continue;
    const c = select(full, opts.groups, opts.checks);
    if (!c.groups.length) continue;
    try {
      const { vars, diagnostics: d } = await resolveVariables(b.config, c.type, runner);
      diagnostics.push(...d.map((x) => ({ ...x, file: c.file })));
      results.push(
        await runControls(
          c,
          { runner, vars, applies: opts.applies, skip: new Set(opts.skip ?? []), diagnostics },
          opts.detectedVersion,
        ),
      );
    } catch (e) {
      diagnostics.push(
        e instanceof VigilError
          ? e.diagnostic
          : error('BENCH_RUN_FAILED', (e as Error).message, { file: c.file }),
      );
    }
  }
  const sum = (k: 'total_pass' | 'total_fail' | 'total_warn' | 'total_info') =>
    results.reduce((a, r) => a + r[k], 0);
  const na = results.reduce(
    (a, r) =>
      a + r.tests.reduce((b2, g) => b2 + g.results.filter((x) => x.not_applicable).length, 0),
    0,
  );
  return {
    report: {
      Controls: results,
      Totals: {
        total_pass: sum('total_pass'),
        total_fail: sum('total_fail'),
        total_warn: sum('total_warn'),
        total_info: sum('total_info'),
        ...(na ? { total_na: na } : {}),
      },
    },
    diagnostics,
  };
}
