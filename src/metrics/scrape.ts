/**
 * One scrape: run the collectors side by side, merge their families by name (sorted, as
 * node_exporter prints them), add node_exporter's per-collector success and duration, and
 * render the Prometheus text format with prom-client's serializer. A failing collector costs
 * its own families only (its success is 0 and the error is returned), never the scrape.
 * @module
 */
import { performance } from 'node:perf_hooks';
import { Registry } from 'prom-client';
import { error, type Diagnostic } from '../core/index.ts';
import { gauge, nonEmpty } from './families.ts';
import { LIVE_PATHS, type Collector, type Family, type HostPaths } from './types.ts';

/** The Content-Type of the text exposition (Prometheus 3 refuses a scrape without one). */
export const TEXT_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** What a scrape produced. */
export interface ScrapeResult {
  families: Family[];
  /** One METRICS_COLLECTOR_FAILED per failed collector. */
  errors: Diagnostic[];
}

/** Runs every collector and merges the families. */
export async function scrape(list: Collector[], o: { paths?: HostPaths; now?: () => number } = {}): Promise<ScrapeResult> {
  const ctx = { paths: o.paths ?? LIVE_PATHS, now: o.now ?? Date.now };
  const success = gauge('node_scrape_collector_success', 'Whether a collector succeeded.');
  const duration = gauge('node_scrape_collector_duration_seconds', 'How long a collector took, in seconds.');
  const errors: Diagnostic[] = [];
  const byName = new Map<string, Family>();
  const results = await Promise.all(list.map(async (c) => {
    const t0 = performance.now();
    try {
      return { c, fams: await c.collect(ctx), ms: performance.now() - t0 };
    } catch (e) {
      errors.push(error('METRICS_COLLECTOR_FAILED', `collector ${c.id}: ${(e as Error).message}`, { file: (e as NodeJS.ErrnoException).path }, c.id));
      return { c, fams: undefined, ms: performance.now() - t0 };
    }
  }));
  for (const { c, fams, ms } of results) {
    success.add(fams ? 1 : 0, { collector: c.id });
    duration.add(ms / 1000, { collector: c.id });
    for (const f of fams ?? []) {
      const seen = byName.get(f.name);
      if (seen) seen.values.push(...f.values);
      else byName.set(f.name, { name: f.name, help: f.help, type: f.type, aggregator: f.aggregator, values: [...f.values] });
    }
  }
  byName.set(success.name, success);
  byName.set(duration.name, duration);
  const families = nonEmpty([...byName.values()]).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { families, errors };
}

/** The Prometheus text format (0.0.4) of some families. */
export async function exposition(families: Family[]): Promise<string> {
  const reg = new Registry();
  for (const f of families) {
    // prom-client renders any object with a name and get(); ours are already-collected snapshots
    reg.registerMetric({ name: f.name, help: f.help, type: f.type, aggregator: f.aggregator, get: async () => f, reset: () => undefined } as never);
  }
  return reg.metrics();
}
