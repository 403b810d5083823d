/**
 * Field-type classes and the operator x type compatibility table of libsinsp
 * (`flt_is_comparable` in filter_compare.cpp), with its error wording.
 * @module
 */
import type { FieldType } from '../fields.ts';

/** How values of a field type are compared. */
export type TypeClass = 'numeric' | 'bool' | 'string' | 'buffer' | 'ipaddr' | 'ipnet' | 'other';

const NUMERIC = new Set<FieldType>([
  'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'ERRNO', 'FD', 'PID',
  'SYSCALLID', 'SIGTYPE', 'RELTIME', 'ABSTIME', 'PORT', 'FLAGS8', 'FLAGS16', 'FLAGS32', 'DOUBLE',
  'MODE', 'ENUMFLAGS8', 'ENUMFLAGS16', 'ENUMFLAGS32',
]);

/** The comparison class of a field type. */
export function typeClass(t: FieldType): TypeClass {
  if (NUMERIC.has(t)) return 'numeric';
  switch (t) {
    case 'BOOL': return 'bool';
    case 'CHARBUF': case 'FSPATH': case 'FSRELPATH': return 'string';
    case 'BYTEBUF': return 'buffer';
    case 'IPADDR': case 'IPV4ADDR': case 'IPV6ADDR': return 'ipaddr';
    case 'IPNET': case 'IPV4NET': case 'IPV6NET': return 'ipnet';
    default: return 'other';
  }
}

const OPS_NUMERIC = new Set(['=', '!=', '<', '<=', '>', '>=', 'in', 'intersects', 'exists']);
const OPS_BOOL = new Set(['=', '!=', 'in', 'intersects', 'exists']);
const OPS_STRING = new Set(['=', '!=', '<', '<=', '>', '>=', 'contains', 'in', 'exists', 'icontains',
  'startswith', 'glob', 'pmatch', 'endswith', 'intersects', 'iglob', 'regex']);
const OPS_BUFFER = new Set(['=', '!=', 'contains', 'in', 'exists', 'startswith', 'endswith', 'intersects',
  'bcontains', 'bstartswith']);
const OPS_IP = new Set(['=', '!=', 'in', 'exists', 'intersects']);
const OPS_LIST = new Set(['in', 'exists', 'intersects']);
const LIST_TYPES = new Set<FieldType>(['CHARBUF', 'UINT64', 'RELTIME', 'ABSTIME', 'BOOL', 'IPADDR', 'IPNET']);

/** `==` is `=` for every purpose but printing. */
export function normalizeOp(op: string): string {
  return op === '==' ? '=' : op;
}

/**
 * Returns libsinsp's error text when `op` (with optional modifier) cannot be applied to a value
 * of type `t`, or undefined when it can.
 */
export function incompatibility(op: string, modifier: string | undefined, t: FieldType, isList: boolean): string | undefined {
  op = normalizeOp(op);
  if (op === 'exists') return undefined;
  if (isList) {
    if (!LIST_TYPES.has(t)) return `list filters are not supported for type '${t}'`;
    return OPS_LIST.has(op) ? undefined : `'${op}' operator not supported list filters`;
  }
  switch (typeClass(t)) {
    case 'numeric': return OPS_NUMERIC.has(op) ? undefined : `'${op}' operator not supported for numeric filters`;
    case 'bool': return OPS_BOOL.has(op) ? undefined : `'${op}' operator not supported for numeric filters`;
    case 'string': return OPS_STRING.has(op) ? undefined : `'${op}' operator not supported for string filters`;
    case 'buffer': return OPS_BUFFER.has(op) ? undefined : `'${op}' operator not supported for buffer filters`;
    case 'ipaddr':
    case 'ipnet':
      if (!OPS_IP.has(op)) {
        return modifier
          ? `'${op}' with modifier not supported for ip address and network filters`
          : `'${op}' operator not supported for ip address and network filters`;
      }
      return undefined;
    default: return `'${op}' operator not supported for type '${t}'`;
  }
}
