/**
 * Audits for Vigil's own k3s definitions: `vigil:` commands answered natively from a
 * NodeView and the derived k3s facts (no shell, no journal grepping), and the applicability
 * conditions that turn checks into "not applicable" with a reason.
 * @module
 */
import { parse, stringify } from 'yaml';
import type { AuditResult, AuditRunner } from '../runner.ts';
import type { Applicability } from '../run.ts';
import { k3sFacts, type K3sFacts } from './facts.ts';
import type { NodeView } from './node-view.ts';

/** Expands `*` in path segments against the node's directories. */
export function globNode(node: NodeView, pattern: string): string[] {
  const segs = pattern.split('/').filter(Boolean);
  let paths = [''];
  for (const seg of segs) {
    const next: string[] = [];
    for (const p of paths) {
      if (!seg.includes('*')) {
        next.push(`${p}/${seg}`);
        continue;
      }
      const re = new RegExp(`^${seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      for (const e of node.list(p || '/')) if (re.test(e)) next.push(`${p}/${e}`);
    }
    paths = next;
  }
  return paths.filter((p) => node.exists(p));
}

function deepMerge(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      prev &&
      typeof prev === 'object' &&
      !Array.isArray(prev)
        ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/** Answers `vigil:` audits on a node; anything else is refused (these definitions never shell out). */
export class K3sRunner implements AuditRunner {
  private facts?: Promise<K3sFacts>;
  constructor(readonly node: NodeView) {}

  /** The node's k3s facts (computed once). */
  getFacts(): Promise<K3sFacts> {
    this.facts ??= k3sFacts(this.node);
    return this.facts;
  }

  exists(p: string): boolean {
    return this.node.exists(p);
  }

  async isRunning(bin: string): Promise<boolean> {
    return (await this.node.processes()).some(
      (p) => p.split(/\s+/)[0]!.split('/').pop() === bin.split(' ')[0],
    );
  }

  private kubeletConfig(f: K3sFacts): Record<string, unknown> {
    const args = f.args.get('kubelet')!;
    let cfg: Record<string, unknown> = {};
    const files: string[] = [];
    const main = args.get('config');
    if (main) files.push(main);
    const dir = args.get('config-dir') ?? '/var/lib/rancher/k3s/agent/etc/kubelet.conf.d';
    files.push(
      ...this.node
        .list(dir)
        .filter((x) => x.endsWith('.conf'))
        .map((x) => `${dir}/${x}`),
    );
    for (const file of files) {
      const text = this.node.readFile(file);
      if (text === undefined) continue;
      try {
        const doc = parse(text, { maxAliasCount: 100 }) as unknown;
        if (doc && typeof doc === 'object') cfg = deepMerge(cfg, doc as Record<string, unknown>);
      } catch {
        /* an unreadable drop-in is ignored the way the kubelet would refuse it: the checks then see defaults */
      }
    }
    return cfg;
  }

  async run(script: string): Promise<AuditResult> {
    const s = script.trim();
    if (!s.startsWith('vigil:'))
      return { output: `only vigil: audits run here, got: ${s}`, code: 126 };
    const [cmd, ...rest] = s.slice(6).split(/\s+/);
    const f = await this.getFacts();
    const lines = (xs: string[]) => ({ output: xs.length ? xs.join('\n') + '\n' : '', code: 0 });
    switch (cmd) {
      case 'args': {
        const comp = rest[0] ?? '';
        const m = f.args.get(comp);
        if (!m) return { output: `unknown component ${comp}`, code: 2 };
        return lines([
          `${comp} ${[...m]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => `--${k}=${v}`)
            .join(' ')}`,
        ]);
      }
      case 'kubelet-config': {
        const cfg = this.kubeletConfig(f);
        return { output: Object.keys(cfg).length ? stringify(cfg) : '', code: 0 };
      }
      case 'cat': {
        const t = this.node.readFile(rest[0] ?? '');
        return t === undefined
          ? { output: `cat: ${rest[0]}: No such file or directory\n`, code: 1 }
          : { output: t, code: 0 };
      }
      case 'perms':
      case 'owner': {
        const out: string[] = [];
        for (const pat of rest.filter((r) => !r.startsWith('!'))) {
          const excluded = new Set(rest.filter((r) => r.startsWith('!')).map((r) => r.slice(1)));
          for (const p of globNode(this.node, pat)) {
            if (excluded.has(p.split('/').pop()!)) continue;
            const st = this.node.stat(p)!;
            out.push(cmd === 'perms' ? `permissions=${st.mode}` : st.owner);
          }
        }
        return lines(out);
      }
      case 'encryption-provider': {
        const p = f.args.get('kube-apiserver')!.get('encryption-provider-config');
        const text = p ? this.node.readFile(p) : undefined;
        if (!text) return lines([]);
        try {
          const doc = parse(text) as { resources?: { providers?: Record<string, unknown>[] }[] };
          const first = doc.resources?.[0]?.providers?.[0];
          return lines(first ? [`provider=${Object.keys(first)[0]}`] : []);
        } catch {
          return { output: `cannot parse ${p}`, code: 1 };
        }
      }
      default:
        return { output: `unknown vigil audit '${cmd}'`, code: 2 };
    }
  }

  /** Applicability of `applies_to` conditions (comma-separated, all must hold). */
  applies: Applicability = async (condition) => {
    const f = await this.getFacts();
    if (condition.startsWith('never:')) return condition.slice(6);
    for (const c of condition.split(',').map((x) => x.trim())) {
      if (c === 'server' && f.role === 'agent')
        return 'this node is a k3s agent; control-plane components run only on servers';
      if (c === 'etcd' && f.datastore !== 'etcd') {
        return f.datastore === 'external'
          ? `the datastore is external (${String(f.config['datastore-endpoint']).replace(/\/\/[^@]*@/, '//***@')}); etcd is not run by k3s here`
          : f.datastore === 'sqlite'
            ? 'the datastore is SQLite through kine; there is no etcd'
            : 'no embedded etcd on this node';
      }
      if (c === 'kube-proxy' && f.config['disable-kube-proxy'] === true)
        return 'kube-proxy is disabled (disable-kube-proxy: true)';
      if (c.startsWith('file:') && !this.node.exists(c.slice(5)))
        return `${c.slice(5)} does not exist on this node`;
    }
    return undefined;
  };
}
