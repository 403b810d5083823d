/**
 * Prometheus text exposition of compliance results, so scores can be scraped or pushed
 * (a node_exporter textfile works too): posture scores per framework and control, and
 * benchmark check counts per state.
 * @module
 */

/** One sample: metric name, labels, value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** Renders samples grouped by metric, with HELP and TYPE lines (all gauges). */
export function toPrometheus(samples: Sample[], help: Record<string, string>): string {
  const byName = new Map<string, Sample[]>();
  for (const s of samples) (byName.get(s.name) ?? byName.set(s.name, []).get(s.name)!).push(s);
  const out: string[] = [];
  for (const [name, list] of byName) {
    out.push(`# HELP ${name} ${help[name] ?? name}`, `# TYPE ${name} gauge`);
    for (const s of list) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${esc(v)}"`)
        .join(',');
      out.push(
        `${name}${labels ? `{${labels}}` : ''} ${Number.isFinite(s.value) ? s.value : 'NaN'}`,
      );
    }
  }
  return out.join('\n') + '\n';
}
