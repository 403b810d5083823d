/**
 * Posture results as Prometheus gauges: framework scores and per-control resource counts.
 * @module
 */
import { toPrometheus, type Sample } from '../report/index.ts';
import type { PostureReport } from './scan.ts';

const help = {
  vigil_posture_score_percent:
    'Posture score per framework (mean of control scores); NaN when nothing was judged.',
  vigil_posture_weighted_score_percent: 'Severity-weighted posture score per framework.',
  vigil_posture_control_resources: 'Resources judged by a posture control, by outcome.',
};

/** Renders a posture report in the Prometheus text format. */
export function postureToPrometheus(r: PostureReport): string {
  const s: Sample[] = [];
  for (const f of r.frameworks) {
    s.push({
      name: 'vigil_posture_score_percent',
      labels: { framework: f.id },
      value: f.score ?? NaN,
    });
    s.push({
      name: 'vigil_posture_weighted_score_percent',
      labels: { framework: f.id },
      value: f.weightedScore ?? NaN,
    });
  }
  for (const c of r.controls) {
    for (const outcome of ['passed', 'failed', 'accepted'] as const) {
      s.push({
        name: 'vigil_posture_control_resources',
        labels: { control: c.id, severity: c.severity, outcome },
        value: c[outcome],
      });
    }
  }
  return toPrometheus(s, help);
}
