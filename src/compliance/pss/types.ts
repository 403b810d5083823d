/**
 * Pod Security Standards types: levels, versioned checks and their findings.
 * @module
 */
import type { PodMeta, PodSpec } from '../manifests/index.ts';

/** A Pod Security Standards level. */
export type Level = 'privileged' | 'baseline' | 'restricted';

/** Why a pod fails one check: PSA's forbidden reason plus the detail naming fields/containers. */
export interface Finding {
  reason: string;
  detail: string;
}

/** One version of a check's logic; returns a finding when the pod violates it. */
export type CheckFn = (meta: PodMeta, spec: PodSpec) => Finding | undefined;

/** The logic a check uses from `minVersion` (the N of v1.N) until the next entry. */
export interface VersionedCheck {
  minVersion: number;
  /** Check ids this one replaces while it applies (e.g. restricted twins of baseline checks). */
  overrides?: string[];
  evaluate: CheckFn;
}

/** A Pod Security Standards check with Kubernetes' id, its level and its versions (ascending). */
export interface PssCheck {
  id: string;
  level: 'baseline' | 'restricted';
  versions: VersionedCheck[];
}

/** One violated check, as `vigil pss check` reports it. */
export interface Violation {
  check: string;
  message: string;
}
