/**
 * The syscall source's field definitions (Falco's names, libsinsp types, argument rules),
 * one family per file, and the syscall `FieldTable` built from them. Extractors are not
 * set here: the syscall extract room attaches them by name.
 * @module
 */
import type { FieldDef, FieldTable, FieldType } from '../../../rules/index.ts';
import { EVENTS, PT } from '../scap/index.ts';
import { CONTAINER_FIELDS } from './container.ts';
import { buildLookup, type DeclaredField } from './define.ts';
import { EVT_FIELDS } from './evt.ts';
import { FD_FIELDS } from './fd.ts';
import { FSPATH_FIELDS } from './fspath.ts';
import { K8S_FIELDS } from './k8s.ts';
import { PROC_FIELDS } from './proc.ts';
import { USER_FIELDS } from './user.ts';

export { buildLookup, declare, type DeclaredField, type FieldOpts, type FieldSpec } from './define.ts';

/** Every syscall field definition, in family order (as `falco --list` groups them). */
export const SYSCALL_FIELDS: readonly DeclaredField[] = [
  ...EVT_FIELDS, ...PROC_FIELDS, ...FD_FIELDS, ...USER_FIELDS, ...CONTAINER_FIELDS, ...K8S_FIELDS, ...FSPATH_FIELDS,
];

/** The syscall definitions keyed by field name, for attaching extractors. */
export const SYSCALL_FIELD_DEFS: Readonly<Record<string, DeclaredField>> = Object.fromEntries(SYSCALL_FIELDS.map((f) => [f.name, f]));

const PT_NAMES = new Map<number, string>(Object.entries(PT).map(([k, v]) => [v, k]));
// Parameter types with no field-type counterpart compare as their closest field type.
const PT_TO_FIELD: Record<string, FieldType> = { FD32: 'FD', PID32: 'PID', SIGSET: 'UINT32', DYN: 'CHARBUF', NONE: 'CHARBUF' };

/** The field type of the first event parameter called `name` (libsinsp types evt.rawarg so). */
export function rawArgType(name: string): FieldType | undefined {
  for (const e of EVENTS) {
    const i = e.index.get(name);
    if (i === undefined) continue;
    const pt = PT_NAMES.get(e.params[i]!.type) ?? 'NONE';
    return PT_TO_FIELD[pt] ?? (pt as FieldType);
  }
  return undefined;
}

/**
 * Builds a lookup over `fields` with the syscall specials: `evt.rawarg.NAME` takes the type
 * of the named parameter and unknown parameter names are unknown fields.
 */
export function syscallLookup<E>(fields: readonly (FieldDef<E> & { dotted?: boolean })[]): FieldTable<E>['lookup'] {
  const rawDefs = new Map<string, FieldDef<E> | null>();
  return buildLookup(fields, (def, arg) => {
    if (def.name !== 'evt.rawarg') return undefined;
    let d = rawDefs.get(arg);
    if (d === undefined) {
      const t = rawArgType(arg);
      d = t ? { ...def, type: t } : null;
      rawDefs.set(arg, d);
    }
    return d ? { def: d, impliedArg: arg } : null;
  });
}

/** The syscall field table (definitions only). */
export function syscallFieldDefinitions(): FieldTable {
  const fields = [...SYSCALL_FIELDS];
  return { source: 'syscall', fields, lookup: syscallLookup<unknown>(fields) };
}
