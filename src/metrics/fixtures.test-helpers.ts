/**
 * Test helpers of the metrics room (left out of dist/ by scripts/build.mjs): fixture host paths and sample look-ups.
 * @module
 */
import { fileURLToPath } from 'node:url';
import type { Family, HostPaths } from './types.ts';

/** Host paths of a fixture tree under src/metrics/fixtures (its proc/ and sys/; rootfs /). */
export function fixturePaths(name: string): HostPaths {
  const root = fileURLToPath(new URL(`./fixtures/${name}/`, import.meta.url));
  return { proc: `${root}proc`, sys: `${root}sys`, rootfs: '/' };
}

/** The value of the one sample of `name` whose labels include `labels`; undefined when none, throws on several. */
export function sample(families: Family[], name: string, labels: Record<string, string> = {}): number | undefined {
  const f = families.find((x) => x.name === name);
  const hits = (f?.values ?? []).filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want));
  if (hits.length > 1) throw new Error(`${name} ${JSON.stringify(labels)}: ${hits.length} samples match`);
  return hits[0]?.value;
}

/** The label sets of every sample of `name`. */
export function labelSets(families: Family[], name: string): Partial<Record<string, string | number>>[] {
  return (families.find((x) => x.name === name)?.values ?? []).map((v) => v.labels);
}
