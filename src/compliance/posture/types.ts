/**
 * Posture types: controls with metadata and framework mappings, scan subjects, results.
 * @module
 */
import type { KubeObject, PodView } from '../manifests/index.ts';

/** How bad a failed control is. */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** The frameworks a control maps onto (ids of their sections/techniques, our wording). */
export interface Mappings {
  /** NSA-CISA Kubernetes Hardening Guidance section. */
  nsa?: string[];
  /** CIS Kubernetes Benchmark section 5 recommendation numbers, e.g. `5.2.2`. */
  cis?: string[];
  /** MITRE ATT&CK for containers technique ids, e.g. `T1611`. */
  mitre?: string[];
  /** The equivalent kubescape control ids, for cross-reference. */
  kubescape?: string[];
}

/** What a control looks at: every pod-bearing object, objects of some kinds, or each namespace. */
export type Target = 'workload' | 'namespace' | readonly string[];

/** One thing a control is evaluated on. */
export interface Subject {
  obj: KubeObject;
  /** The pod (spec + metadata) for pod-bearing objects. */
  pod?: PodView;
  kind: string;
  namespace: string;
  name: string;
}

/** Tunables for controls (e.g. which registries are trusted). */
export interface PostureConfig {
  /** Image registry prefixes considered trusted; empty means the check is not applied. */
  allowedRegistries: string[];
}

/** Everything a scan knows, indexed once before controls run. */
export interface ScanContext {
  objects: readonly KubeObject[];
  byKind: ReadonlyMap<string, readonly KubeObject[]>;
  namespaces: ReadonlySet<string>;
  config: PostureConfig;
}

/** A posture control: metadata, what it targets, and the check returning failure messages. */
export interface Control {
  id: string;
  name: string;
  severity: Severity;
  description: string;
  remediation: string;
  mappings: Mappings;
  target: Target;
  /** Returns why the subject fails; an empty list means it passes. */
  check(s: Subject, ctx: ScanContext): string[];
  /** A passing and a failing input, used by the tests and the docs. */
  examples: { pass: KubeObject[]; fail: KubeObject[] };
}

/** The outcome for one subject under one control. */
export type ResourceStatus = 'passed' | 'failed' | 'accepted';

/** One subject's result under a control. */
export interface ResourceResult {
  kind: string;
  namespace: string;
  name: string;
  status: ResourceStatus;
  messages: string[];
  /** Why a failure is accepted, and until when. */
  waiver?: { reason: string; expires?: string };
  /** Where the object was read from, for manifest scans. */
  file?: string;
  line?: number;
}
