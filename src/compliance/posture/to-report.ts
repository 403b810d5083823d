/**
 * Maps a posture report onto the format-neutral report used for SARIF, JUnit and HTML.
 * @module
 */
import type { GenericReport, ReportCase } from '../report/index.ts';
import type { PostureReport } from './scan.ts';

/** Where an object came from, so findings can point at file and line. */
export type Locator = (
  kind: string,
  namespace: string,
  name: string,
) => { file?: string; line?: number } | undefined;

/** One case per failed/accepted resource, and one passing case per control with no failures. */
export function postureToGeneric(r: PostureReport, locate?: Locator): GenericReport {
  const cases: ReportCase[] = [];
  for (const c of r.controls) {
    const group = c.mappings.cis?.length ? `CIS ${c.mappings.cis.join(', ')}` : 'Vigil';
    const base = {
      id: c.id,
      name: c.name,
      group,
      severity: c.severity,
      remediation: c.remediation,
    };
    if (c.status === 'passed' || c.status === 'not-applicable') {
      cases.push({
        ...base,
        status: c.status === 'passed' ? 'pass' : 'na',
        message: c.status === 'passed' ? `${c.passed} resources pass` : 'no resources of this kind',
      });
    }
    for (const res of c.resources) {
      if (res.status === 'passed') continue;
      const subject = `${res.kind}/${res.namespace ? res.namespace + '/' : ''}${res.name}`;
      const msg =
        res.status === 'accepted'
          ? `accepted: ${res.waiver?.reason ?? ''}${res.waiver?.expires ? ` (until ${res.waiver.expires})` : ''}; ${res.messages.join('; ')}`
          : res.messages.join('; ');
      cases.push({
        ...base,
        status: res.status === 'accepted' ? 'accepted' : 'fail',
        message: msg,
        subject,
        ...locate?.(res.kind, res.namespace, res.name),
      });
    }
  }
  const summary: Record<string, number | string | null> = {
    score: r.score,
    weightedScore: r.weightedScore,
  };
  for (const f of r.frameworks) summary[`${f.id} score`] = f.score;
  summary['controls failed'] = r.controls.filter((c) => c.status === 'failed').length;
  summary['controls accepted'] = r.controls.filter((c) => c.status === 'accepted').length;
  summary['controls passed'] = r.controls.filter((c) => c.status === 'passed').length;
  return { tool: 'vigil posture', title: 'Vigil workload posture', summary, cases };
}
