/**
 * k8s.* fields of the syscall source: the Kubernetes pod and namespace a container belongs
 * to (from the container runtime's sandbox labels). The controller/service fields are kept
 * for old rules and stay empty, as in Falco.
 * @module
 */
import { declare, type FieldSpec } from './define.ts';

const LABEL = { arg: 'required-key', dotted: true } as const;
// Suggested output fields of the container plugin (see container.ts).
const SUGGESTED = { suggested: true } as const;

const SPECS: FieldSpec[] = [
  ['k8s.pod.name', 'CHARBUF', 'Name of the Kubernetes pod.', SUGGESTED],
  ['k8s.ns.name', 'CHARBUF', 'Kubernetes namespace of the pod.', SUGGESTED],
  ['k8s.pod.id', 'CHARBUF', 'Legacy name for k8s.pod.uid.'],
  ['k8s.pod.uid', 'CHARBUF', 'UID of the Kubernetes pod.'],
  ['k8s.pod.sandbox_id', 'CHARBUF', 'Short (12 characters) id of the pod sandbox.'],
  ['k8s.pod.full_sandbox_id', 'CHARBUF', 'Full id of the pod sandbox.'],
  ['k8s.pod.label', 'CHARBUF', 'One pod label by key, e.g. k8s.pod.label.app or k8s.pod.label[app].', LABEL],
  ['k8s.pod.labels', 'CHARBUF', 'Every pod label as key:value pairs, comma separated.'],
  ['k8s.pod.ip', 'CHARBUF', 'Primary IP address of the pod.'],
  ['k8s.pod.cni.json', 'CHARBUF', 'CNI result of the pod, as JSON.'],
  ['k8s.container.name', 'CHARBUF', 'Name of the container within its pod.'],
  ['k8s.rc.name', 'CHARBUF', 'Replication controller name (kept for old rules; empty).'],
  ['k8s.rc.id', 'CHARBUF', 'Replication controller id (kept for old rules; empty).'],
  ['k8s.rc.label', 'CHARBUF', 'Replication controller label (kept for old rules; empty).', LABEL],
  ['k8s.rc.labels', 'CHARBUF', 'Replication controller labels (kept for old rules; empty).'],
  ['k8s.svc.name', 'CHARBUF', 'Service name (kept for old rules; empty).'],
  ['k8s.svc.id', 'CHARBUF', 'Service id (kept for old rules; empty).'],
  ['k8s.svc.label', 'CHARBUF', 'Service label (kept for old rules; empty).', LABEL],
  ['k8s.svc.labels', 'CHARBUF', 'Service labels (kept for old rules; empty).'],
  ['k8s.ns.id', 'CHARBUF', 'Namespace id (kept for old rules; empty).'],
  ['k8s.ns.label', 'CHARBUF', 'Namespace label (kept for old rules; empty).', LABEL],
  ['k8s.ns.labels', 'CHARBUF', 'Namespace labels (kept for old rules; empty).'],
  ['k8s.rs.name', 'CHARBUF', 'Replica set name (kept for old rules; empty).'],
  ['k8s.rs.id', 'CHARBUF', 'Replica set id (kept for old rules; empty).'],
  ['k8s.rs.label', 'CHARBUF', 'Replica set label (kept for old rules; empty).', LABEL],
  ['k8s.rs.labels', 'CHARBUF', 'Replica set labels (kept for old rules; empty).'],
  ['k8s.deployment.name', 'CHARBUF', 'Deployment name (kept for old rules; empty).'],
  ['k8s.deployment.id', 'CHARBUF', 'Deployment id (kept for old rules; empty).'],
  ['k8s.deployment.label', 'CHARBUF', 'Deployment label (kept for old rules; empty).', LABEL],
  ['k8s.deployment.labels', 'CHARBUF', 'Deployment labels (kept for old rules; empty).'],
];

/** k8s.* definitions (syscall source). */
export const K8S_FIELDS = declare(SPECS);
