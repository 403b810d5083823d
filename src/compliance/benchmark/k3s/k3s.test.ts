import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  runVigilK3s,
  kubeBenchSetFor,
  mergedConfig,
  processOptions,
  RecordedNodeView,
  type NodeView,
  type FileInfo,
} from './index.ts';
import { projectPath } from '../../../core/index.ts';
import type { CheckResult } from '../run.ts';

/** An in-memory node: files (content, mode, owner), journal and processes. */
class MemoryNode implements NodeView {
  constructor(
    private files: Record<string, { content?: string; mode?: string; owner?: string }>,
    private lines: string[],
    private procs: string[],
  ) {}
  readFile(p: string) {
    return this.files[p]?.content;
  }
  exists(p: string) {
    return p in this.files || Object.keys(this.files).some((f) => f.startsWith(p + '/'));
  }
  list(dir: string) {
    const names = new Set<string>();
    for (const f of Object.keys(this.files))
      if (f.startsWith(dir + '/')) names.add(f.slice(dir.length + 1).split('/')[0]!);
    return [...names].sort();
  }
  stat(p: string): FileInfo | undefined {
    if (!this.exists(p)) return undefined;
    return { mode: this.files[p]?.mode ?? '700', owner: this.files[p]?.owner ?? 'root:root' };
  }
  async journal() {
    return this.lines;
  }
  async processes() {
    return this.procs;
  }
}

const A = '/var/lib/rancher/k3s/agent';
const line = (comp: string, args: string) =>
  `Nov 28 09:00:00 n k3s-agent[9]: time="x" level=info msg="Running ${comp} ${args}"`;

function byId(report: {
  Controls: { tests: { results: CheckResult[] }[] }[];
}): Map<string, CheckResult> {
  const m = new Map<string, CheckResult>();
  for (const c of report.Controls)
    for (const g of c.tests) for (const r of g.results) m.set(r.test_number, r);
  return m;
}

test('agent: only node checks run; kubelet settings in the config drop-in count (no false FAIL)', async () => {
  const node = new MemoryNode(
    {
      '/etc/rancher/k3s/config.yaml': {
        content: 'disable-kube-proxy: true\nkubelet-arg: ["streaming-connection-idle-timeout=0"]\n',
      },
      [`${A}/kubelet.kubeconfig`]: { content: 'x', mode: '600' },
      [`${A}/client-ca.crt`]: { content: 'x', mode: '644' },
      [`${A}/etc/kubelet.conf.d/00-k3s-defaults.conf`]: {
        content:
          'authentication: {anonymous: {enabled: false}, x509: {clientCAFile: /ca}}\nauthorization: {mode: Webhook}\nreadOnlyPort: 0\ntlsCertFile: /c\ntlsPrivateKeyFile: /k\n',
        mode: '600',
      },
    },
    // the kubelet argv carries only --config-dir: every setting lives in the drop-in (kube-bench #1973)
    [
      line(
        'kubelet',
        `--config-dir=${A}/etc/kubelet.conf.d --hostname-override=n --kubeconfig=${A}/kubelet.kubeconfig`,
      ),
    ],
    ['/usr/local/bin/k3s agent', 'containerd -c x'],
  );
  const r = await runVigilK3s(node);
  assert.equal(r.role, 'agent');
  assert.deepEqual(
    r.report.Controls.map((c) => c.node_type),
    ['node'],
  );
  const m = byId(r.report);
  for (const id of ['4.2.1', '4.2.2', '4.2.3', '4.2.4', '4.2.9', '4.1.5', '4.1.7', '4.1.9'])
    assert.equal(
      m.get(id)!.status,
      'PASS',
      `${id}: ${m.get(id)!.reason ?? m.get(id)!.expected_result}`,
    );
  // kube-proxy is disabled: its checks are not applicable, with the reason
  for (const id of ['4.1.3', '4.1.4', '4.3.1']) {
    assert.equal(m.get(id)!.not_applicable, true);
    assert.match(m.get(id)!.reason!, /disable-kube-proxy/);
  }
  // config.yaml's kubelet-arg is what the next start uses: it wins over the journal
  assert.equal(m.get('4.2.5')!.status, 'WARN');
});

test('server on SQLite: etcd checks are not applicable (no false failures)', async () => {
  const T = '/var/lib/rancher/k3s/server/tls';
  const node = new MemoryNode(
    {
      '/var/lib/rancher/k3s/server/db/state.db': { content: '', mode: '600' },
      [`${T}/a.crt`]: { content: '', mode: '644' },
      [`${T}/a.key`]: { content: '', mode: '600' },
    },
    [
      line(
        'kube-apiserver',
        `--anonymous-auth=false --authorization-mode=Node,RBAC --storage-backend=etcd3 --etcd-servers=unix://kine.sock --tls-cert-file=${T}/a.crt --tls-private-key-file=${T}/a.key`,
      ),
    ],
    ['/usr/local/bin/k3s server'],
  );
  const r = await runVigilK3s(node);
  assert.equal(r.datastore, 'sqlite');
  const m = byId(r.report);
  for (const id of ['1.1.11', '1.2.23', '1.2.26', '2.1', '2.7']) {
    assert.equal(m.get(id)!.status, 'INFO', id);
    assert.match(m.get(id)!.reason!, /SQLite/);
  }
  assert.equal(m.get('1.2.1')!.status, 'PASS');
  assert.equal(m.get('1.1.1')!.not_applicable, true);
  assert.ok(r.report.Totals.total_na! >= 14);
});

test('config.yaml.d files override config.yaml and key+ appends', () => {
  const node = new MemoryNode(
    {
      '/etc/rancher/k3s/config.yaml': {
        content: 'kube-apiserver-arg: [a=1]\nwrite-kubeconfig-mode: "0644"\n',
      },
      '/etc/rancher/k3s/config.yaml.d/10-a.yaml': { content: 'kube-apiserver-arg+: [b=2]\n' },
      '/etc/rancher/k3s/config.yaml.d/20-b.yaml': { content: 'write-kubeconfig-mode: "0600"\n' },
      '/etc/rancher/k3s/config.yaml.d/30-c.txt': { content: 'ignored: true\n' },
    },
    [],
    [],
  );
  assert.deepEqual(mergedConfig(node), {
    'kube-apiserver-arg': ['a=1', 'b=2'],
    'write-kubeconfig-mode': '0600',
  });
});

test('the recorded node gives the expected k3s-aware verdicts', async () => {
  const r = await runVigilK3s(new RecordedNodeView(projectPath('test', 'fixtures', 'k3s-node')));
  assert.equal(r.version, 'v1.29.4+k3s1');
  const m = byId(r.report);
  const st = (id: string) => m.get(id)!.status;
  // findings planted in the fixture
  assert.deepEqual(['1.1.13', '1.3.2', '4.3.1'].map(st), ['FAIL', 'FAIL', 'FAIL']);
  // embedded etcd present: etcd checks run and pass
  assert.deepEqual(['2.1', '2.2', '2.5', '1.2.23', '1.1.11'].map(st), [
    'PASS',
    'PASS',
    'PASS',
    'PASS',
    'PASS',
  ]);
  assert.deepEqual(r.diagnostics, []);
});

test('kube-bench set selection by version', () => {
  assert.equal(kubeBenchSetFor('v1.23.4+k3s1'), 'k3s-cis-1.23');
  assert.equal(kubeBenchSetFor('v1.25.0+k3s1'), 'k3s-cis-1.7');
  assert.equal(kubeBenchSetFor('v1.29.4+k3s1'), 'k3s-cis-1.9');
  assert.equal(kubeBenchSetFor('v1.33.1+k3s1'), 'k3s-cis-1.12');
  assert.equal(kubeBenchSetFor(undefined), 'k3s-cis-1.9');
});

test('k3s process flags count too, after config.yaml', async () => {
  assert.deepEqual(
    processOptions([
      '/usr/local/bin/k3s server --secrets-encryption --kube-apiserver-arg=profiling=false --kube-apiserver-arg audit-log-maxage=30 --token=x',
    ]),
    {
      'secrets-encryption': true,
      'kube-apiserver-arg+': ['profiling=false', 'audit-log-maxage=30'],
      token: 'x',
    },
  );
  const node = new MemoryNode(
    { '/etc/rancher/k3s/config.yaml': { content: 'kube-apiserver-arg: [profiling=true]\n' } },
    [line('kube-apiserver', '--anonymous-auth=false')],
    ['/usr/local/bin/k3s server --kube-apiserver-arg=profiling=false --disable-kube-proxy'],
  );
  const m = byId((await runVigilK3s(node)).report);
  assert.equal(m.get('1.2.15')!.status, 'PASS');
  assert.equal(m.get('4.3.1')!.not_applicable, true);
});
