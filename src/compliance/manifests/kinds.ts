/**
 * Built-in Kubernetes kinds by API group, to tell a typo (`kind: Deploymnet` in apps/v1, an
 * error) from a custom resource (another group, simply not checked).
 * @module
 */
import { error, type Diagnostic } from '../../core/index.ts';
import type { ManifestObject } from './load.ts';

/** Built-in kinds per API group ('' = core). */
const builtin: Record<string, string[]> = {
  '': [
    'Binding',
    'ComponentStatus',
    'ConfigMap',
    'Endpoints',
    'Event',
    'LimitRange',
    'List',
    'Namespace',
    'Node',
    'PersistentVolume',
    'PersistentVolumeClaim',
    'Pod',
    'PodTemplate',
    'ReplicationController',
    'ResourceQuota',
    'Secret',
    'Service',
    'ServiceAccount',
  ],
  admissionregistration: [
    'MutatingWebhookConfiguration',
    'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding',
    'ValidatingWebhookConfiguration',
    'MutatingAdmissionPolicy',
    'MutatingAdmissionPolicyBinding',
  ],
  apiextensions: ['CustomResourceDefinition'],
  apiregistration: ['APIService'],
  apps: ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  autoscaling: ['HorizontalPodAutoscaler', 'Scale'],
  batch: ['CronJob', 'Job'],
  certificates: ['CertificateSigningRequest', 'ClusterTrustBundle'],
  coordination: ['Lease', 'LeaseCandidate'],
  discovery: ['EndpointSlice'],
  events: ['Event'],
  flowcontrol: ['FlowSchema', 'PriorityLevelConfiguration'],
  networking: ['Ingress', 'IngressClass', 'IPAddress', 'NetworkPolicy', 'ServiceCIDR'],
  node: ['RuntimeClass'],
  policy: ['Eviction', 'PodDisruptionBudget', 'PodSecurityPolicy'],
  rbac: ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  resource: ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'],
  scheduling: ['PriorityClass'],
  storage: [
    'CSIDriver',
    'CSINode',
    'CSIStorageCapacity',
    'StorageClass',
    'VolumeAttachment',
    'VolumeAttributesClass',
  ],
};

/** The short built-in group of an apiVersion (`apps/v1` -> apps, `rbac.authorization.k8s.io/v1` -> rbac), or undefined for custom groups. */
function builtinGroup(apiVersion: string): string | undefined {
  const slash = apiVersion.lastIndexOf('/');
  if (slash < 0) return '';
  const group = apiVersion.slice(0, slash);
  const short = group.replace(/\.k8s\.io$/, '').replace(/\.authorization$/, '');
  if (!group.includes('.') || group.endsWith('.k8s.io')) return short.split('.')[0];
  return undefined;
}

/** An error for each object whose kind does not exist in its built-in API group. */
export function unknownKinds(objects: ManifestObject[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of objects) {
    // without an apiVersion there is no group to judge the kind against
    const av = typeof m.obj.apiVersion === 'string' ? m.obj.apiVersion : '';
    if (!av) continue;
    const g = builtinGroup(av);
    if (g === undefined || !(g in builtin)) continue;
    if (!builtin[g]!.includes(String(m.obj.kind))) {
      out.push(
        error(
          'COMPLIANCE_UNKNOWN_KIND',
          `kind ${m.obj.kind} does not exist in ${av}`,
          { file: m.file, line: m.line },
          m.obj.metadata?.name,
        ),
      );
    }
  }
  return out;
}
