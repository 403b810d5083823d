/**
 * Pod Security Admission's evaluation: pick the checks that apply at a level and version,
 * newest logic per check, overrides removing baseline twins; run them over a pod.
 * @module
 */
import { VigilError } from '../../core/index.ts';
import type { PodMeta, PodSpec } from '../manifests/index.ts';
import { pssChecks } from './checks/index.ts';
import type { CheckFn, Level, Violation } from './types.ts';

/** The newest policy version the checks know (v1.37); `latest` means this. */
export const latestMinor = 37;

/** A parsed policy version: the N of v1.N. */
export type PolicyVersion = number;

/** Parses `v1.N`, `1.N` or `latest` into N; anything else is a `PSS_BAD_VERSION` error. */
export function parseVersion(v: string | undefined): PolicyVersion {
  if (v === undefined || v === 'latest' || v === '') return latestMinor;
  const m = /^v?1\.(\d+)$/.exec(v.trim());
  if (!m) throw new VigilError('PSS_BAD_VERSION', `policy version '${v}' is not v1.N or latest`);
  // PSA treats versions newer than it knows as latest
  return Math.min(Number(m[1]), latestMinor);
}

/** Parses a level name; anything else is a `PSS_BAD_LEVEL` error. */
export function parseLevel(l: string): Level {
  if (l === 'privileged' || l === 'baseline' || l === 'restricted') return l;
  throw new VigilError('PSS_BAD_LEVEL', `level '${l}' is not privileged, baseline or restricted`);
}

interface Selected {
  id: string;
  evaluate: CheckFn;
}

const cache = new Map<string, Selected[]>();

/** The checks (id + logic) that apply at a level and version, in id order. */
export function checksFor(level: Level, version: PolicyVersion): readonly Selected[] {
  const key = `${level}:${version}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const chosen: { id: string; evaluate: CheckFn; overrides: string[] }[] = [];
  if (level !== 'privileged') {
    for (const c of pssChecks) {
      if (c.level === 'restricted' && level !== 'restricted') continue;
      let pick;
      for (const vc of c.versions) if (vc.minVersion <= version) pick = vc;
      if (pick) chosen.push({ id: c.id, evaluate: pick.evaluate, overrides: pick.overrides ?? [] });
    }
  }
  const overridden = new Set(chosen.flatMap((c) => c.overrides));
  const out = chosen
    .filter((c) => !overridden.has(c.id))
    .map(({ id, evaluate }) => ({ id, evaluate }));
  cache.set(key, out);
  return out;
}

/** Evaluates one pod (metadata + spec) at a level and version; no violations means allowed. */
export function evaluatePod(
  meta: PodMeta,
  spec: PodSpec,
  level: Level,
  version: PolicyVersion = latestMinor,
): Violation[] {
  const out: Violation[] = [];
  for (const c of checksFor(level, version)) {
    const f = c.evaluate(meta, spec);
    if (f) out.push({ check: c.id, message: `${f.reason} (${f.detail})` });
  }
  return out;
}
