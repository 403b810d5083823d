/**
 * Alert rendering shared by the channels: Falco's text line or its JSON object with the
 * optional keys that falco.yaml's json_include_* settings control.
 * @module
 */
import type { Alert } from '../core/index.ts';
import type { AlertFormat } from './types.ts';
import { stringifyExact } from '../store/index.ts';

/** The output text without Falco's `<time>: <Priority> ` prefix. */
export function messageOf(alert: Alert): string {
  const prefix = `: ${alert.priority} `;
  const i = alert.output.indexOf(prefix);
  return i >= 0 ? alert.output.slice(i + prefix.length) : alert.output;
}

/** The JSON object a channel sends, with keys in Falco's order. */
export function alertObject(alert: Alert, id: string, f: AlertFormat): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (f.includeUuid) o.uuid = id;
  o.hostname = alert.hostname;
  if (f.includeOutput) o.output = alert.output;
  if (f.includeMessage) o.message = messageOf(alert);
  if (f.includeOutputFields) o.output_fields = alert.output_fields;
  o.priority = alert.priority;
  o.rule = alert.rule;
  o.source = alert.source;
  if (f.includeTags) o.tags = alert.tags;
  o.time = alert.time;
  return o;
}

/** One line (no newline): JSON when `f.json`, else Falco's text line. */
export function renderAlert(alert: Alert, id: string, f: AlertFormat): string {
  return f.json ? stringifyExact(alertObject(alert, id, f)) : alert.output;
}
