/**
 * Helpers shared by posture controls: container iteration, quoting, example builders.
 * @module
 */
import {
  allContainers,
  type Container,
  type KubeObject,
  type PodSpec,
} from '../../manifests/index.ts';
import type { Subject } from '../types.ts';

/** Every container of the subject's pod (init, regular, ephemeral). */
export function containersOf(s: Subject): Container[] {
  return s.pod ? allContainers(s.pod.spec) : [];
}

/** Only the long-running containers (init containers finish before the pod serves). */
export function appContainers(s: Subject): Container[] {
  const c = s.pod?.spec.containers;
  return Array.isArray(c) ? c.filter((x) => x && typeof x === 'object') : [];
}

/** `container "x"` for messages. */
export function cname(c: Container): string {
  return `container ${JSON.stringify(typeof c.name === 'string' ? c.name : '')}`;
}

/** Messages for every container matching a predicate. */
export function eachContainer(s: Subject, bad: (c: Container) => boolean, what: string): string[] {
  return containersOf(s)
    .filter(bad)
    .map((c) => `${cname(c)} ${what}`);
}

/** String array of a loosely typed field. */
export function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** A Deployment wrapping a pod spec, for control examples. */
export function deployment(
  spec: PodSpec,
  name = 'web',
  namespace = 'shop',
  podMeta: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name }, ...podMeta }, spec },
    },
  };
}

/** A hardened container that passes every workload control; examples mutate a copy. */
export function goodContainer(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'app',
    image: 'registry.example.com/shop/web:1.4.2',
    imagePullPolicy: 'IfNotPresent',
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 10001,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    resources: {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    },
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
    readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
    ...extra,
  };
}

/** A hardened pod spec around one container. */
export function goodSpec(
  container: Record<string, unknown> = goodContainer(),
  extra: Record<string, unknown> = {},
): PodSpec {
  return {
    serviceAccountName: 'web',
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container],
    ...extra,
  } as PodSpec;
}

/** A hardened Deployment whose single container gets `sc` merged into its securityContext. */
export function withSc(sc: Record<string, unknown>): KubeObject {
  const c = goodContainer();
  c.securityContext = { ...(c.securityContext as object), ...sc };
  return deployment(goodSpec(c));
}
