/**
 * Builds the scan context (objects indexed by kind, namespaces) and the subjects each control
 * target selects, once per scan.
 * @module
 */
import { podOf, type KubeObject } from '../manifests/index.ts';
import type { PostureConfig, ScanContext, Subject, Target } from './types.ts';

const clusterScoped = new Set([
  'Namespace',
  'Node',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'CustomResourceDefinition',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'PodSecurityPolicy',
]);

/** Subjects grouped the way control targets ask for them. */
export interface SubjectIndex {
  ctx: ScanContext;
  workloads: Subject[];
  namespaces: Subject[];
  byKind: Map<string, Subject[]>;
}

function subject(obj: KubeObject): Subject {
  const kind = String(obj.kind);
  const ns = clusterScoped.has(kind) ? '' : String(obj.metadata?.namespace ?? '');
  return { obj, kind, namespace: ns, name: String(obj.metadata?.name ?? '') };
}

/** True for objects a controller manages (their controller is checked instead, so a live scan does not count a pod twice). */
function controlled(o: KubeObject): boolean {
  const refs = o.metadata?.ownerReferences;
  return (
    Array.isArray(refs) &&
    refs.some(
      (r) => r && typeof r === 'object' && (r as { controller?: boolean }).controller === true,
    )
  );
}

/** Indexes objects once: by kind, pod-bearing workloads, and every namespace mentioned. */
export function indexSubjects(objects: readonly KubeObject[], config: PostureConfig): SubjectIndex {
  const byKindObj = new Map<string, KubeObject[]>();
  const byKind = new Map<string, Subject[]>();
  const workloads: Subject[] = [];
  const nsNames = new Set<string>();
  const declared = new Map<string, KubeObject>();
  for (const obj of objects) {
    const s = subject(obj);
    (byKindObj.get(s.kind) ?? byKindObj.set(s.kind, []).get(s.kind)!).push(obj);
    (byKind.get(s.kind) ?? byKind.set(s.kind, []).get(s.kind)!).push(s);
    if (s.kind === 'Namespace') declared.set(s.name, obj);
    else if (!clusterScoped.has(s.kind)) nsNames.add(s.namespace);
    const pod = podOf(obj);
    if (pod && !controlled(obj)) workloads.push({ ...s, pod });
  }
  for (const n of declared.keys()) nsNames.add(n);
  const namespaces = [...nsNames]
    .sort()
    .map((n) =>
      subject(declared.get(n) ?? { apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } }),
    );
  const ctx: ScanContext = { objects, byKind: byKindObj, namespaces: nsNames, config };
  return { ctx, workloads, namespaces, byKind };
}

/** The subjects a target selects. */
export function subjectsFor(target: Target, idx: SubjectIndex): Subject[] {
  if (target === 'workload') return idx.workloads;
  if (target === 'namespace') return idx.namespaces;
  return target.flatMap((k) => idx.byKind.get(k) ?? []);
}
