/**
 * `vigil pss check` over manifests: every pod-bearing object gets a verdict; other kinds
 * and bad documents get diagnostics while the rest are still checked.
 * @module
 */
import { warning, type Diagnostic } from '../../core/index.ts';
import { loadManifests, podOf, unknownKinds, type ManifestObject } from '../manifests/index.ts';
import { evaluatePod, type PolicyVersion } from './evaluate.ts';
import type { Level, Violation } from './types.ts';

/** The verdict for one object. */
export interface PssResult {
  kind: string;
  namespace: string;
  name: string;
  allowed: boolean;
  violations: Violation[];
  file?: string;
  line?: number;
}

/** The verdicts for a set of objects plus the problems met reading them. */
export interface PssReport {
  level: Level;
  version: string;
  results: PssResult[];
  diagnostics: Diagnostic[];
}

/** Evaluates already-loaded objects; kinds without a pod are reported as warnings. */
export function checkObjects(
  objects: ManifestObject[],
  level: Level,
  version: PolicyVersion,
): { results: PssResult[]; diagnostics: Diagnostic[] } {
  const results: PssResult[] = [];
  const diagnostics: Diagnostic[] = unknownKinds(objects);
  const unknown = new Set(diagnostics.map((d) => `${d.file}:${d.line}:${d.item ?? ''}`));
  for (const m of objects) {
    const pod = podOf(m.obj);
    if (!pod) {
      if (unknown.has(`${m.file}:${m.line}:${m.obj.metadata?.name ?? ''}`)) continue;
      diagnostics.push(
        warning(
          'PSS_KIND_NOT_CHECKED',
          `kind ${m.obj.kind} carries no pod; not checked`,
          { file: m.file, line: m.line },
          m.obj.metadata?.name,
        ),
      );
      continue;
    }
    const violations = evaluatePod(pod.meta, pod.spec, level, version);
    results.push({
      kind: String(m.obj.kind),
      namespace: String(m.obj.metadata?.namespace ?? ''),
      name: String(m.obj.metadata?.name ?? ''),
      allowed: violations.length === 0,
      violations,
      file: m.file,
      line: m.line,
    });
  }
  return { results, diagnostics };
}

/** Loads manifest text and evaluates every object in it. */
export function checkManifestText(
  text: string,
  file: string,
  level: Level,
  version: PolicyVersion,
): { results: PssResult[]; diagnostics: Diagnostic[] } {
  const loaded = loadManifests(text, file);
  const r = checkObjects(loaded.objects, level, version);
  return { results: r.results, diagnostics: [...loaded.diagnostics, ...r.diagnostics] };
}
