/**
 * Runs every posture control over a set of objects, applies waivers, and scores the result.
 * @module
 */
import { error, type Diagnostic } from '../../core/index.ts';
import type { KubeObject } from '../manifests/index.ts';
import { controls as allControls } from './controls/index.ts';
import { controlScore, frameworkScore, frameworks, type FrameworkScore } from './score.ts';
import { indexSubjects, subjectsFor } from './subjects.ts';
import type { Control, Mappings, PostureConfig, ResourceResult, Severity } from './types.ts';
import { compileWaivers, globToRegExp, type Waiver } from './waivers.ts';

/** A control's outcome over all its subjects. */
export interface ControlResult {
  id: string;
  name: string;
  severity: Severity;
  description: string;
  remediation: string;
  mappings: Mappings;
  /** failed if any subject failed; accepted if failures were all waived; not-applicable with no subjects. */
  status: 'passed' | 'failed' | 'accepted' | 'not-applicable';
  score: number | null;
  passed: number;
  failed: number;
  accepted: number;
  resources: ResourceResult[];
}

/** The result of a posture scan. */
export interface PostureReport {
  score: number | null;
  weightedScore: number | null;
  frameworks: FrameworkScore[];
  controls: ControlResult[];
  diagnostics: Diagnostic[];
}

/** Options for a scan: tunables, waivers and the clock waivers expire against. */
export interface ScanOptions {
  config?: Partial<PostureConfig>;
  waivers?: Waiver[];
  now?: Date;
  controls?: readonly Control[];
  /** Keep passing resources in the report (off by default to keep reports small). */
  includePassed?: boolean;
  /** Namespace patterns (`*`, `?`) whose objects are left out of the scan entirely. */
  excludeNamespaces?: string[];
}

/** Scans objects with every control (or `opts.controls`). */
export function scanObjects(objects: readonly KubeObject[], opts: ScanOptions = {}): PostureReport {
  const config: PostureConfig = { allowedRegistries: [], ...opts.config };
  const { active, diagnostics } = compileWaivers(opts.waivers ?? [], opts.now ?? new Date());
  const excluded = (opts.excludeNamespaces ?? []).map(globToRegExp);
  const kept = excluded.length
    ? objects.filter(
        (o) =>
          !(o.kind === 'Namespace'
            ? excluded.some((r) => r.test(String(o.metadata?.name ?? '')))
            : excluded.some((r) => r.test(String(o.metadata?.namespace ?? '')))),
      )
    : objects;
  const idx = indexSubjects(kept, config);
  const results: ControlResult[] = [];
  for (const c of opts.controls ?? allControls) {
    let passed = 0;
    let failed = 0;
    let accepted = 0;
    const resources: ResourceResult[] = [];
    for (const s of subjectsFor(c.target, idx)) {
      let msgs: string[];
      try {
        msgs = c.check(s, idx.ctx);
      } catch (e) {
        // a control must never take the scan down: the resource counts as failed, with the reason
        diagnostics.push(
          error(
            'POSTURE_CHECK_ERROR',
            `${c.id} on ${s.kind}/${s.namespace}/${s.name}: ${(e as Error).message}`,
            {},
            c.id,
          ),
        );
        msgs = [`could not be evaluated: ${(e as Error).message}`];
      }
      if (msgs.length === 0) {
        passed++;
        if (opts.includePassed)
          resources.push({
            kind: s.kind,
            namespace: s.namespace,
            name: s.name,
            status: 'passed',
            messages: [],
          });
        continue;
      }
      const w = active.find((x) => x.match(c.id, s.kind, s.namespace, s.name));
      if (w) {
        accepted++;
        resources.push({
          kind: s.kind,
          namespace: s.namespace,
          name: s.name,
          status: 'accepted',
          messages: msgs,
          waiver: { reason: w.waiver.reason, expires: w.waiver.expires },
        });
      } else {
        failed++;
        resources.push({
          kind: s.kind,
          namespace: s.namespace,
          name: s.name,
          status: 'failed',
          messages: msgs,
        });
      }
    }
    const status = failed ? 'failed' : accepted ? 'accepted' : passed ? 'passed' : 'not-applicable';
    const { id, name, severity, description, remediation, mappings } = c;
    results.push({
      id,
      name,
      severity,
      description,
      remediation,
      mappings,
      status,
      score: controlScore(passed, failed),
      passed,
      failed,
      accepted,
      resources,
    });
  }
  const withControl = results.map((r, i) => ({
    control: (opts.controls ?? allControls)[i]!,
    score: r.score,
    status: r.status,
  }));
  const fw = frameworks.map((f) => frameworkScore(f, withControl));
  const all = fw.find((f) => f.id === 'all')!;
  return {
    score: all.score,
    weightedScore: all.weightedScore,
    frameworks: fw,
    controls: results,
    diagnostics,
  };
}
