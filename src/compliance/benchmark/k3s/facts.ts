/**
 * What k3s is doing on a node: role, version, datastore, merged config.yaml(.d), and the
 * effective arguments of each embedded component (journal argv + config `*-arg` keys).
 * @module
 */
import { parse } from 'yaml';
import type { NodeView } from './node-view.ts';

/** Embedded components and the config.yaml key that passes them extra arguments. */
export const componentArgKeys: Record<string, string> = {
  'kube-apiserver': 'kube-apiserver-arg',
  'kube-controller-manager': 'kube-controller-manager-arg',
  'kube-scheduler': 'kube-scheduler-arg',
  kubelet: 'kubelet-arg',
  'kube-proxy': 'kube-proxy-arg',
  etcd: 'etcd-arg',
};

/** Facts about the k3s installation on one node. */
export interface K3sFacts {
  role: 'server' | 'agent' | 'unknown';
  version?: string;
  datastore: 'etcd' | 'sqlite' | 'external' | 'unknown';
  config: Record<string, unknown>;
  /** Effective flags per component: name -> value (bare flags are `true`). */
  args: Map<string, Map<string, string>>;
  /** Components seen running (journal "Running X" lines). */
  running: Set<string>;
  journal: string[];
}

const configDir = '/etc/rancher/k3s/config.yaml.d';

/** Merges config.yaml and config.yaml.d/*.yaml in order; `key+` appends to lists, as k3s does. */
export function mergedConfig(node: NodeView): Record<string, unknown> {
  const files = [
    '/etc/rancher/k3s/config.yaml',
    ...node
      .list(configDir)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => `${configDir}/${f}`),
  ];
  const out: Record<string, unknown> = {};
  for (const f of files) {
    const text = node.readFile(f);
    if (text === undefined) continue;
    let doc: unknown;
    try {
      doc = parse(text, { maxAliasCount: 100 });
    } catch {
      continue;
    }
    if (!doc || typeof doc !== 'object') continue;
    for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
      if (k.endsWith('+')) {
        const key = k.slice(0, -1);
        const prev = out[key];
        out[key] = [
          ...(Array.isArray(prev) ? prev : prev === undefined ? [] : [prev]),
          ...(Array.isArray(v) ? v : [v]),
        ];
      } else out[k] = v;
    }
  }
  return out;
}

/**
 * Options given to the `k3s server|agent` process itself (systemd ExecStart flags). They take
 * precedence over config.yaml: scalars replace, `*-arg` lists are appended after the file's.
 */
export function processOptions(procs: string[]): Record<string, unknown> {
  const line = procs.find((p) => /(^|\/)k3s (server|agent)\b/.test(p));
  if (!line) return {};
  const toks = line.trim().split(/\s+/);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (!t.startsWith('--')) continue;
    const eq = t.indexOf('=');
    let key = eq > 0 ? t.slice(2, eq) : t.slice(2);
    let value: unknown = eq > 0 ? t.slice(eq + 1) : true;
    // `--kube-apiserver-arg value` (space-separated) for list options
    if (eq < 0 && key.endsWith('-arg') && toks[i + 1] && !toks[i + 1]!.startsWith('--'))
      value = toks[++i];
    if (value === 'true') value = true;
    if (value === 'false') value = false;
    if (key.endsWith('-arg')) {
      key = `${key}+`;
      out[key] = [...((out[key] as unknown[]) ?? []), value];
    } else out[key] = value;
  }
  return out;
}

/** Splits `--a=b --c d --e` style argv text into flags (values may not contain spaces). */
export function parseArgv(text: string): Map<string, string> {
  const m = new Map<string, string>();
  const toks = text.trim().split(/\s+/);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!.replace(/"$/, '');
    if (!t.startsWith('--')) continue;
    const eq = t.indexOf('=');
    if (eq > 0) m.set(t.slice(2, eq), t.slice(eq + 1));
    else m.set(t.slice(2), 'true');
  }
  return m;
}

function configArgs(config: Record<string, unknown>, key: string): Map<string, string> {
  const v = config[key];
  const list = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
  return parseArgv(list.map((a) => (a.startsWith('--') ? a : `--${a}`)).join(' '));
}

/** Reads the node and derives the facts the k3s-aware checks need. */
export async function k3sFacts(node: NodeView): Promise<K3sFacts> {
  const journal = await node.journal();
  const procs = await node.processes();
  const config = mergedConfig(node);
  for (const [k, v] of Object.entries(processOptions(procs))) {
    if (k.endsWith('+')) {
      const key = k.slice(0, -1);
      const prev = config[key];
      config[key] = [
        ...(Array.isArray(prev) ? prev : prev === undefined ? [] : [prev]),
        ...(v as unknown[]),
      ];
    } else config[k] = v;
  }
  const isServer =
    procs.some((p) => /(^|\/)k3s server\b/.test(p)) ||
    journal.some((l) => l.includes('Running kube-apiserver'));
  const isAgent = procs.some((p) => /(^|\/)k3s agent\b/.test(p));
  const role = isServer ? 'server' : isAgent ? 'agent' : 'unknown';
  const vm = journal
    .map((l) => /Starting k3s (v\d+\.\d+\.\d+\+k3s\d+)/.exec(l))
    .filter(Boolean)
    .pop();
  const version = vm?.[1] ?? node.recordedVersion ?? (await node.binaryVersion?.());
  let datastore: K3sFacts['datastore'] = 'unknown';
  if (config['datastore-endpoint']) datastore = 'external';
  else if (
    journal.some((l) => l.includes('Managed etcd cluster')) ||
    config['cluster-init'] === true ||
    node.exists('/var/lib/rancher/k3s/server/db/etcd/config')
  )
    datastore = 'etcd';
  else if (node.exists('/var/lib/rancher/k3s/server/db/state.db') || role === 'server')
    datastore = 'sqlite';
  const args = new Map<string, Map<string, string>>();
  const running = new Set<string>();
  for (const [comp, key] of Object.entries(componentArgKeys)) {
    const line = journal.filter((l) => l.includes(`Running ${comp} `)).pop();
    const m = line
      ? parseArgv(line.slice(line.indexOf(`Running ${comp} `) + `Running ${comp} `.length))
      : new Map<string, string>();
    if (line) running.add(comp);
    // config.yaml args are what k3s passes on the next start: they win over an older journal line
    for (const [k, v] of configArgs(config, key)) m.set(k, v);
    args.set(comp, m);
  }
  if (
    config['protect-kernel-defaults'] === true &&
    !args.get('kubelet')!.has('protect-kernel-defaults')
  )
    args.get('kubelet')!.set('protect-kernel-defaults', 'true');
  return { role, version, datastore, config, args, running, journal };
}
