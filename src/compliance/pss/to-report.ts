/**
 * Maps PSS verdicts onto the format-neutral report (SARIF, JUnit, HTML): one case per object
 * and violated check, one passing case per allowed object.
 * @module
 */
import type { GenericReport, ReportCase } from '../report/index.ts';
import type { PssResult } from './check-objects.ts';

/** Builds the generic report for `vigil pss check`. */
export function pssToGeneric(results: PssResult[], level: string, version: string): GenericReport {
  const cases: ReportCase[] = [];
  for (const r of results) {
    const subject = `${r.kind}/${r.namespace ? r.namespace + '/' : ''}${r.name}`;
    const where = { subject, file: r.file, line: r.line };
    if (r.allowed)
      cases.push({
        id: `pss-${level}`,
        name: `Pod Security Standards ${level} (${version})`,
        group: r.kind,
        status: 'pass',
        message: 'allowed',
        ...where,
      });
    for (const v of r.violations) {
      cases.push({
        id: v.check,
        name: `PSS ${level}: ${v.check}`,
        group: r.kind,
        status: 'fail',
        severity: level === 'restricted' ? 'medium' : 'high',
        message: v.message,
        remediation: `Change the pod spec so that ${v.check} passes at ${level} (see the message).`,
        ...where,
      });
    }
  }
  const denied = results.filter((r) => !r.allowed).length;
  return {
    tool: 'vigil pss',
    title: `Pod Security Standards: ${level} at ${version}`,
    summary: { objects: results.length, allowed: results.length - denied, denied },
    cases,
  };
}
