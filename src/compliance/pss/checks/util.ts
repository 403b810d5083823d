/**
 * Small helpers shared by PSS checks: PSA-style phrasing of container lists.
 * @module
 */
import type { Container } from '../../manifests/index.ts';

/** `container "a"` or `containers "a", "b"`, as PSA words its details. */
export function containersPhrase(names: string[]): string {
  const q = names.map((n) => JSON.stringify(n)).join(', ');
  return names.length === 1 ? `container ${q}` : `containers ${q}`;
}

/** `"a"` or `"a", "b"` (quoted, comma-separated). */
export function quoted(values: Iterable<string>): string {
  return [...values].map((v) => JSON.stringify(v)).join(', ');
}

/** A container's name for messages (PSA prints the empty string when none is given). */
export function nameOf(c: Container): string {
  return typeof c.name === 'string' ? c.name : '';
}

/** True for Pods whose spec says they run on Windows (exempt from some restricted checks from v1.25). */
export function isWindows(spec: { os?: { name?: string } | null }): boolean {
  return spec.os?.name === 'windows';
}

/** Reads a string array field defensively (bad shapes count as empty). */
export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
