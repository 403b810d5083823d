/**
 * Building metric families: counters and gauges with samples, label-name sanitizing (tag and
 * container label names carry dots and dashes that Prometheus label names do not allow).
 * @module
 */
import type { Family, Sample } from './types.ts';

/** A family being filled; `add` appends a sample. */
export interface FamilyBuilder extends Family {
  add(value: number, labels?: Record<string, string>): FamilyBuilder;
}

function family(type: 'counter' | 'gauge', name: string, help: string): FamilyBuilder {
  const values: Sample[] = [];
  const f = {
    name, help, type, values, aggregator: 'sum',
    add(value: number, labels: Record<string, string> = {}) {
      values.push({ value, labels });
      return f;
    },
  } as FamilyBuilder;
  return f;
}

/** A counter family (the name should end in `_total`). */
export function counter(name: string, help: string): FamilyBuilder {
  return family('counter', name, help);
}

/** A gauge family. */
export function gauge(name: string, help: string): FamilyBuilder {
  return family('gauge', name, help);
}

/** A Prometheus label name from any text: invalid characters become `_`, a leading digit gets `_`. */
export function labelName(text: string): string {
  const s = text.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

/** Only the families that have samples (an empty family prints HELP/TYPE and nothing else). */
export function nonEmpty(families: Family[]): Family[] {
  return families.filter((f) => f.values.length > 0);
}
