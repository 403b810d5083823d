/**
 * A real container (containerd + runc, pod-shaped with the labels the CRI sets) appears in the
 * container collector with cAdvisor's/kubelet's labels: id = its cgroup path, name = its
 * containerd id, image, namespace, pod and container from containerd through the k8s room's
 * ContainerMetadataResolver, and live figures (CPU, memory, processes). Skipped with the
 * reason when containers cannot run here (root, ctr/runc, containerd on its socket).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContainerMetadataResolver } from '../../src/k8s/index.ts';
import { collectors, scrape } from '../../src/metrics/index.ts';
import { containerdProblem, ensureNetToolsImage, SOCKET, startPod } from '../containers/runtime.ts';

const problem = containerdProblem();
if (problem) console.log(`# SKIP containerd container metrics: ${problem}`);

test('a containerd pod container shows with its cAdvisor labels and figures', { skip: problem ?? false, timeout: 600_000 }, async () => {
  const image = ensureNetToolsImage();
  // a shell that keeps one child busy for a moment (CPU > 0) and then waits
  const pod = await startPod({ image, pod: 'metrics-web-1', namespace: 'shop', container: 'app', cmd: ['sh', '-c', 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; sleep 3600'] });
  const resolver = new ContainerMetadataResolver({ socket: SOCKET, follow: false });
  try {
    await resolver.start();
    const id = pod.container.id;
    let row: Record<string, string | number | undefined> | undefined;
    let fams;
    // the busy loop may still be starting: wait until its CPU time shows
    for (let i = 0; i < 50; i++) {
      fams = (await scrape(collectors({ containers: resolver }).filter((c) => c.id === 'cgroup'))).families;
      row = fams.find((f) => f.name === 'container_cpu_usage_seconds_total')?.values.find((v) => v.labels.name === id && v.value > 0)?.labels;
      if (row) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(row && fams, `container ${id} not in container_cpu_usage_seconds_total with CPU > 0`);
    assert.deepEqual({ ...row }, { id: row.id, name: id, image, namespace: 'shop', pod: 'metrics-web-1', container: 'app', cpu: 'total' });
    // the cgroup path containerd gave it ends with its id (/k8s.io/<id> with cgroupfs)
    assert.match(String(row.id), new RegExp(`/${id}$`));
    const labels = { id: String(row.id), name: id };
    const value = (name: string) => fams!.find((f) => f.name === name)?.values.find((v) => v.labels.id === labels.id)?.value;
    assert.ok((value('container_memory_usage_bytes') ?? 0) > 0, 'memory usage');
    assert.ok((value('container_memory_working_set_bytes') ?? -1) >= 0, 'working set');
    assert.ok((value('container_processes') ?? 0) >= 1, 'processes');
    // its own network namespace (ctr gives one): the loopback is left out, so no interface, or only non-lo ones
    for (const v of fams!.find((f) => f.name === 'container_network_receive_bytes_total')?.values ?? []) if (v.labels.id === labels.id) assert.notEqual(v.labels.interface, 'lo');
    // the sandbox record has no task, so no cgroup: it is not listed
    assert.ok(!fams!.some((f) => f.values.some((v) => v.labels.name === pod.sandbox.id)));
  } finally {
    resolver.stop();
    await pod.stop();
  }
});
