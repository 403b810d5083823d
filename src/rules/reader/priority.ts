/**
 * Falco priority names: parsed case-insensitively, `info` accepted for Informational.
 * @module
 */
import { PRIORITIES, type Priority } from '../../core/index.ts';

/** Parses a priority as Falco does; undefined when the name is not one of the eight. */
export function parsePriority(text: string): Priority | undefined {
  const t = text.toLowerCase();
  if (t === 'info') return 'Informational';
  return PRIORITIES.find((p) => p.toLowerCase() === t);
}

/** The numeric severity (EMERGENCY=0 ... DEBUG=7). */
export function priorityLevel(p: Priority): number {
  return PRIORITIES.indexOf(p);
}
