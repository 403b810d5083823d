/**
 * kube-bench's config.yaml: per node type, the components and where their binaries, config
 * files, kubeconfigs, CA files and data dirs live; resolved into `$<component><kind>` variables.
 * @module
 */
import { parse } from 'yaml';
import { warning, type Diagnostic } from '../../core/index.ts';
import type { AuditRunner } from './runner.ts';

/** A parsed config.yaml (plain data). */
export type BenchConfig = Record<string, unknown>;

/** Parses a config.yaml. */
export function parseConfig(text: string): BenchConfig {
  const v = parse(text, { maxAliasCount: 100 }) as unknown;
  return v && typeof v === 'object' ? (v as BenchConfig) : {};
}

/** Deep-merges `over` onto `base` (maps merge, everything else is replaced), like viper's MergeConfig. */
export function mergeConfig(base: BenchConfig, over: BenchConfig): BenchConfig {
  const out: BenchConfig = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      b &&
      typeof b === 'object' &&
      !Array.isArray(b)
        ? mergeConfig(b as BenchConfig, v as BenchConfig)
        : v;
  }
  return out;
}

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : [];

/** The file kinds a component can declare, with their config key and default key. */
const fileKinds = [
  { name: 'conf', key: 'confs', def: 'defaultconf' },
  { name: 'svc', key: 'svc', def: 'defaultsvc' },
  { name: 'kubeconfig', key: 'kubeconfig', def: 'defaultkubeconfig' },
  { name: 'cafile', key: 'cafile', def: 'defaultcafile' },
  { name: 'datadir', key: 'datadirs', def: 'defaultdatadir' },
] as const;

/** Resolves `$apiserverbin`, `$kubeletconf`, ... for a node type; unknown components warn. */
export async function resolveVariables(
  config: BenchConfig,
  nodeType: string,
  runner: AuditRunner,
): Promise<{ vars: Map<string, string>; diagnostics: Diagnostic[] }> {
  const vars = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const section = (config[nodeType] ?? {}) as Record<string, unknown>;
  for (const comp of list(section.components)) {
    const c = (section[comp] ?? {}) as Record<string, unknown>;
    const bins = list(c.bins);
    if (bins.length) {
      let found: string | undefined;
      for (const b of bins) {
        if (await runner.isRunning(b)) {
          found = b;
          break;
        }
      }
      if (!found && c.optional !== true)
        diagnostics.push(
          warning(
            'BENCH_COMPONENT_NOT_RUNNING',
            `none of the ${comp} binaries (${bins.join(', ')}) is running`,
            {},
            comp,
          ),
        );
      vars.set(`${comp}bin`, found ?? String(c.defaultbin ?? bins[0]));
    }
    for (const f of fileKinds) {
      const hit = list(c[f.key]).find((p) => runner.exists(p));
      const v = hit ?? (c[f.def] === undefined || c[f.def] === null ? undefined : String(c[f.def]));
      if (v !== undefined && v !== '') vars.set(`${comp}${f.name}`, v);
    }
  }
  return { vars, diagnostics };
}

/** Replaces `$name` variables in an audit command (longest names first so prefixes cannot clash). */
export function substitute(s: string, vars: Map<string, string>): string {
  if (!s.includes('$')) return s;
  let out = s;
  for (const k of [...vars.keys()].sort((a, b) => b.length - a.length))
    out = out.split(`$${k}`).join(vars.get(k)!);
  return out;
}
