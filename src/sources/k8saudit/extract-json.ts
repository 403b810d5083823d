/**
 * The json plugin's fields over audit events: jevt.value[/pointer] / json.value, the whole
 * event (jevt.obj, indented) and the event time (jevt.rawtime).
 * @module
 */
import type { FieldValue } from '../../rules/index.ts';
import { asString, atPointer, type AuditEvent } from './event.ts';
import type { AuditExtractor } from './extract.ts';

function value(ev: AuditEvent, arg?: string): FieldValue {
  if (arg === undefined || arg === '') return JSON.stringify(ev.obj);
  const v = atPointer(ev.obj, arg);
  return v === undefined ? undefined : asString(v);
}

const obj = (ev: AuditEvent): FieldValue => JSON.stringify(ev.obj, null, 2);
const rawtime = (ev: AuditEvent): FieldValue => ev.timeNs.toString();

/** jevt.* and json.* extractors. */
export const JSON_EXTRACTORS: Record<string, AuditExtractor> = {
  'jevt.value': value,
  'jevt.obj': obj,
  'jevt.rawtime': rawtime,
  'json.value': value,
  'json.obj': obj,
  'json.rawtime': rawtime,
};
