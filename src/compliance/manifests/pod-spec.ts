/**
 * The typed subset of the Pod API that security checks read, and the extraction of the pod
 * (metadata + spec) from every kind that carries one.
 * @module
 */
import type { KubeObject } from './load.ts';

/** SELinux options as in the Pod API. */
export interface SELinuxOptions {
  user?: string;
  role?: string;
  type?: string;
  level?: string;
}

/** A seccomp or AppArmor profile reference. */
export interface ProfileRef {
  type?: string;
  localhostProfile?: string;
}

/** Fields shared by pod- and container-level security contexts. */
export interface CommonSecurityContext {
  runAsUser?: number | null;
  runAsGroup?: number | null;
  runAsNonRoot?: boolean | null;
  seLinuxOptions?: SELinuxOptions | null;
  seccompProfile?: ProfileRef | null;
  appArmorProfile?: ProfileRef | null;
  windowsOptions?: { hostProcess?: boolean | null } | null;
}

/** A container's securityContext. */
export interface SecurityContext extends CommonSecurityContext {
  privileged?: boolean | null;
  allowPrivilegeEscalation?: boolean | null;
  readOnlyRootFilesystem?: boolean | null;
  procMount?: string | null;
  capabilities?: { add?: string[] | null; drop?: string[] | null } | null;
}

/** The pod-level securityContext. */
export interface PodSecurityContext extends CommonSecurityContext {
  fsGroup?: number | null;
  supplementalGroups?: number[] | null;
  sysctls?: { name?: string; value?: string }[] | null;
}

/** A probe or lifecycle handler (the parts that can target another host). */
export interface Handler {
  httpGet?: { host?: string; path?: string; port?: unknown } | null;
  tcpSocket?: { host?: string; port?: unknown } | null;
  exec?: { command?: string[] } | null;
}

/** The container fields checks read. */
export interface Container {
  name?: string;
  image?: string;
  imagePullPolicy?: string;
  command?: string[];
  args?: string[];
  ports?:
    | { containerPort?: number; hostPort?: number | null; hostIP?: string; protocol?: string }[]
    | null;
  env?: { name?: string; value?: string; valueFrom?: Record<string, unknown> }[] | null;
  envFrom?: Record<string, unknown>[] | null;
  resources?: {
    limits?: Record<string, unknown> | null;
    requests?: Record<string, unknown> | null;
  } | null;
  volumeMounts?: { name?: string; mountPath?: string; readOnly?: boolean }[] | null;
  livenessProbe?: Handler | null;
  readinessProbe?: Handler | null;
  startupProbe?: Handler | null;
  lifecycle?: { postStart?: Handler | null; preStop?: Handler | null } | null;
  securityContext?: SecurityContext | null;
}

/** A pod volume: a name plus exactly one source key. */
export interface Volume {
  name?: string;
  hostPath?: { path?: string; type?: string } | null;
  [source: string]: unknown;
}

/** The pod spec fields checks read. */
export interface PodSpec {
  containers?: Container[] | null;
  initContainers?: Container[] | null;
  ephemeralContainers?: Container[] | null;
  volumes?: Volume[] | null;
  hostNetwork?: boolean | null;
  hostPID?: boolean | null;
  hostIPC?: boolean | null;
  hostUsers?: boolean | null;
  os?: { name?: string } | null;
  securityContext?: PodSecurityContext | null;
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean | null;
  nodeName?: string;
  priorityClassName?: string;
}

/** Pod metadata as checks see it. */
export interface PodMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
}

/** A pod (or pod template) pulled out of an object, with the path it was found at. */
export interface PodView {
  meta: PodMeta;
  spec: PodSpec;
  /** JSON path of the spec within the object, e.g. `$.spec.template.spec`. */
  specPath: string;
}

/** The kinds that carry a pod template at `spec.template`. */
const templateKinds = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'ReplicationController',
]);

/** Every kind that carries a pod, sorted. */
export const podBearingKinds: readonly string[] = [
  'CronJob',
  'DaemonSet',
  'Deployment',
  'Job',
  'Pod',
  'PodTemplate',
  'ReplicaSet',
  'ReplicationController',
  'StatefulSet',
];

/** Returns the pod inside an object, or undefined when its kind has none. */
export function podOf(o: KubeObject): PodView | undefined {
  const kind = o.kind;
  if (kind === 'Pod') return { meta: asObj(o.metadata), spec: asObj(o.spec), specPath: '$.spec' };
  if (kind === 'PodTemplate') return template(o.template, '$.template');
  const spec = asObj<Record<string, unknown>>(o.spec);
  if (kind && templateKinds.has(kind)) return template(spec.template, '$.spec.template');
  if (kind === 'CronJob') {
    const job = asObj<Record<string, unknown>>(
      asObj<Record<string, unknown>>(spec.jobTemplate).spec,
    );
    return template(job.template, '$.spec.jobTemplate.spec.template');
  }
  return undefined;
}

function template(t: unknown, path: string): PodView {
  const tt = asObj<Record<string, unknown>>(t);
  return { meta: asObj(tt.metadata), spec: asObj(tt.spec), specPath: `${path}.spec` };
}

/** Treats anything that is not a plain object as an empty one, so checks never trip on bad shapes. */
export function asObj<T = Record<string, never>>(v: unknown): T {
  return (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {}) as T;
}

/** The containers of a pod in PSA's visiting order: init, regular, ephemeral. */
export function allContainers(spec: PodSpec): Container[] {
  const out: Container[] = [];
  for (const list of [spec.initContainers, spec.containers, spec.ephemeralContainers]) {
    if (Array.isArray(list)) for (const c of list) if (c && typeof c === 'object') out.push(c);
  }
  return out;
}
