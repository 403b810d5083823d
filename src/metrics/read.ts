/**
 * Small readers for /proc and /sys files: whole text, numbers, `key value` tables. Every
 * reader takes an absolute path; callers join it from `HostPaths`.
 * @module
 */
import { readFile } from 'node:fs/promises';

/** The file's text. */
export function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

/** The file's text, or undefined when it does not exist or cannot be read. */
export async function tryText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The first token of a file as a number; undefined when absent or not a number (`max`). */
export async function tryNumber(path: string): Promise<number | undefined> {
  const t = await tryText(path);
  if (t === undefined) return undefined;
  const n = Number(t.trim().split(/\s+/)[0]);
  return Number.isFinite(n) ? n : undefined;
}

/** `key value` lines (memory.stat, cpu.stat, memory.events) as a map. */
export function keyValues(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && Number.isFinite(Number(v))) m.set(k, Number(v));
  }
  return m;
}
