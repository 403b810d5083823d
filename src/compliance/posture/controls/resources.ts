/**
 * Workload controls on resource governance and health probes.
 * @module
 */
import type { Container } from '../../manifests/index.ts';
import type { Control, Severity } from '../types.ts';
import { appContainers, cname, deployment, goodContainer, goodSpec } from './util.ts';

function resourceControl(
  id: string,
  field: 'limits' | 'requests',
  res: 'cpu' | 'memory',
  severity: Severity,
  mappings: Control['mappings'],
  why: string,
): Control {
  const has = (c: Container) => {
    const v = c.resources?.[field];
    return !!v && typeof v === 'object' && v[res] != null && v[res] !== '';
  };
  const without = goodContainer();
  const r = structuredClone(without.resources) as Record<string, Record<string, unknown>>;
  delete r[field]![res];
  without.resources = r;
  return {
    id,
    name: `${res === 'cpu' ? 'CPU' : 'Memory'} ${field} not set`,
    severity,
    description: why,
    remediation: `Set resources.${field}.${res} on every container (a LimitRange can supply defaults per namespace).`,
    mappings,
    target: 'workload',
    check: (s) =>
      appContainers(s)
        .filter((c) => !has(c))
        .map((c) => `${cname(c)} has no ${res} ${field.slice(0, -1)}`),
    examples: { pass: [deployment(goodSpec())], fail: [deployment(goodSpec(without))] },
  };
}

const resourcePolicies = 'Network separation: resource policies';

/** VP-022 CPU limits. */
export const cpuLimits = resourceControl(
  'VP-022',
  'limits',
  'cpu',
  'medium',
  { nsa: [resourcePolicies], mitre: ['T1496'], kubescape: ['C-0270'] },
  'Without a CPU limit one compromised or runaway container can starve its neighbours (e.g. crypto-mining).',
);
/** VP-023 memory limits. */
export const memoryLimits = resourceControl(
  'VP-023',
  'limits',
  'memory',
  'medium',
  { nsa: [resourcePolicies], mitre: ['T1499'], kubescape: ['C-0271'] },
  'Without a memory limit a container can exhaust node memory and trigger evictions of other workloads.',
);
/** VP-024 CPU requests. */
export const cpuRequests = resourceControl(
  'VP-024',
  'requests',
  'cpu',
  'low',
  { nsa: [resourcePolicies] },
  'Without a CPU request the scheduler cannot place the pod sensibly and it is first to be throttled.',
);
/** VP-025 memory requests. */
export const memoryRequests = resourceControl(
  'VP-025',
  'requests',
  'memory',
  'low',
  { nsa: [resourcePolicies] },
  'Without a memory request the pod is scheduled blindly and is evicted first under pressure.',
);

function probeControl(id: string, probe: 'livenessProbe' | 'readinessProbe', why: string): Control {
  const without = goodContainer();
  delete without[probe];
  return {
    id,
    name: `${probe === 'livenessProbe' ? 'Liveness' : 'Readiness'} probe missing`,
    severity: 'low',
    description: why,
    remediation: `Define ${probe} on every long-running container.`,
    mappings: {},
    target: 'workload',
    // Jobs and CronJobs run to completion; probes are about long-running services
    check: (s) =>
      s.kind === 'Job' || s.kind === 'CronJob'
        ? []
        : appContainers(s)
            .filter((c) => c[probe] == null)
            .map((c) => `${cname(c)} has no ${probe}`),
    examples: { pass: [deployment(goodSpec())], fail: [deployment(goodSpec(without))] },
  };
}

/** VP-026 liveness probe. */
export const livenessProbe = probeControl(
  'VP-026',
  'livenessProbe',
  'Without a liveness probe a hung container keeps receiving no restarts; availability suffers silently.',
);
/** VP-027 readiness probe. */
export const readinessProbe = probeControl(
  'VP-027',
  'readinessProbe',
  'Without a readiness probe traffic reaches containers before they can serve it.',
);
