/**
 * Checks that a decoded JSON value is a Falco alert (what Falco's http_output and json_output
 * produce) and normalises the keys older Falco versions leave out.
 * @module
 */
import { error, PRIORITIES, type Alert, type Diagnostic, type Priority } from '../../core/index.ts';

/** The alert, or the reasons it is not one (each with a JSON path under `base`). */
export function toAlert(v: unknown, base = '$'): { alert?: Alert; errors: Diagnostic[] } {
  const errors: Diagnostic[] = [];
  const bad = (key: string, msg: string): void => {
    errors.push(error('INGEST_INVALID_ALERT', msg, { jsonPath: `${base}${key ? '.' + key : ''}` }));
  };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    bad('', 'expected a Falco alert object');
    return { errors };
  }
  const o = v as Record<string, unknown>;
  for (const k of ['output', 'rule', 'time'] as const) if (typeof o[k] !== 'string') bad(k, `missing or not a string`);
  // Falco writes priorities capitalised; accept any case and store the canonical spelling
  const pr = typeof o.priority === 'string' ? PRIORITIES.find((p) => p.toLowerCase() === (o.priority as string).toLowerCase()) : undefined;
  if (!pr) bad('priority', `expected one of ${PRIORITIES.join(', ')}`);
  if (o.output_fields !== undefined && (typeof o.output_fields !== 'object' || o.output_fields === null || Array.isArray(o.output_fields))) {
    bad('output_fields', 'expected an object');
  }
  if (o.tags !== undefined && (!Array.isArray(o.tags) || o.tags.some((t) => typeof t !== 'string'))) bad('tags', 'expected a list of strings');
  for (const k of ['source', 'hostname'] as const) if (o[k] !== undefined && typeof o[k] !== 'string') bad(k, 'expected a string');
  if (typeof o.time === 'string' && !Number.isFinite(Date.parse(o.time.replace(/(\.\d{3})\d+/, '$1')))) bad('time', 'not an ISO-8601 time');
  if (errors.length) return { errors };
  const alert: Alert = {
    hostname: (o.hostname as string | undefined) ?? '',
    output: o.output as string,
    output_fields: (o.output_fields as Alert['output_fields'] | undefined) ?? {},
    priority: pr as Priority,
    rule: o.rule as string,
    source: (o.source as string | undefined) ?? 'syscall',
    tags: (o.tags as string[] | undefined) ?? [],
    time: o.time as string,
  };
  return { alert, errors };
}
