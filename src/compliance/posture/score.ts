/**
 * Scores: per control, per framework and overall. The formulas are documented in
 * docs/compliance.md; accepted (waived) results count neither as passed nor as failed.
 * @module
 */
import type { Control, Severity } from './types.ts';

/** Severity weights for the weighted score (kubescape baseScore-like scale). */
export const severityWeight: Record<Severity, number> = {
  critical: 10,
  high: 7,
  medium: 4,
  low: 1,
};

/** Control score: passed / (passed + failed) x 100, or null when nothing was judged. */
export function controlScore(passed: number, failed: number): number | null {
  return passed + failed === 0 ? null : round((passed / (passed + failed)) * 100);
}

/** A framework: a name and which controls belong to it. */
export interface Framework {
  id: string;
  name: string;
  includes(c: Control): boolean;
}

/** The frameworks Vigil scores, sorted by id. */
export const frameworks: readonly Framework[] = [
  { id: 'all', name: 'All Vigil controls', includes: () => true },
  {
    id: 'cis-k8s-5',
    name: 'CIS Kubernetes Benchmark, section 5 (policies)',
    includes: (c) => !!c.mappings.cis?.length,
  },
  {
    id: 'mitre-attack',
    name: 'MITRE ATT&CK for containers',
    includes: (c) => !!c.mappings.mitre?.length,
  },
  {
    id: 'nsa-cisa',
    name: 'NSA-CISA Kubernetes Hardening Guidance',
    includes: (c) => !!c.mappings.nsa?.length,
  },
];

/** A framework's scores: the mean of its judged controls, plain and severity-weighted. */
export interface FrameworkScore {
  id: string;
  name: string;
  score: number | null;
  weightedScore: number | null;
  controls: number;
  passed: number;
  failed: number;
  accepted: number;
  notApplicable: number;
}

/** Aggregates control scores into a framework score. */
export function frameworkScore(
  f: Framework,
  results: { control: Control; score: number | null; status: string }[],
): FrameworkScore {
  let sum = 0;
  let n = 0;
  let wsum = 0;
  let w = 0;
  const counts = { passed: 0, failed: 0, accepted: 0, notApplicable: 0 };
  let controls = 0;
  for (const r of results) {
    if (!f.includes(r.control)) continue;
    controls++;
    if (r.status === 'passed') counts.passed++;
    else if (r.status === 'failed') counts.failed++;
    else if (r.status === 'accepted') counts.accepted++;
    else counts.notApplicable++;
    if (r.score === null) continue;
    sum += r.score;
    n++;
    const wt = severityWeight[r.control.severity];
    wsum += wt * r.score;
    w += wt;
  }
  return {
    id: f.id,
    name: f.name,
    score: n ? round(sum / n) : null,
    weightedScore: w ? round(wsum / w) : null,
    controls,
    ...counts,
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
