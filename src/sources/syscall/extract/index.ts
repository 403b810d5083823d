/**
 * Syscall field extractors keyed by field name (Falco semantics), and a table builder that
 * attaches them to field definitions.
 * @module
 */
import type { FieldDef, FieldTable } from '../../../rules/index.ts';
import type { SyscallEvent } from '../state/index.ts';
import { CONTAINER } from './container.ts';
import { EVT } from './evt.ts';
import { FD } from './fd.ts';
import { MORE } from './more.ts';
import { PROC } from './proc.ts';
import type { Extractor, ExtractorMap } from './types.ts';

export type { Extractor, ExtractorMap, ExtractorSpec } from './types.ts';
export { renderArgs, renderParam } from './render.ts';
export { cmdline } from './proc.ts';
export { iso8601Utc, iso8601Local, timeOfDay } from './times.ts';

/** Every syscall extractor, by field name. */
export const SYSCALL_EXTRACTORS: ExtractorMap = { ...EVT, ...PROC, ...FD, ...CONTAINER, ...MORE };

/**
 * Families whose values depend only on the event and its fd, which the state does not change once
 * the event was processed (proc.*, user.*, container.* read tables that later events or metadata
 * updates may change, and a caller may ask again after such an update).
 */
const MEMO_FAMILIES = /^(evt|fd)\./;

/**
 * The extractor with a one-event memory: rules of one event type test the same fields (five
 * official open rules each read fd.name, fd.directory, evt.is_open_read, ...), so each field is
 * computed once per event. Keyed by the event context's identity, which the state creates anew
 * for every event; it keeps one event alive per field until the next one.
 */
function rememberLast(f: Extractor): Extractor {
  let last: SyscallEvent | undefined;
  let value: ReturnType<Extractor>;
  return (ev) => {
    if (ev === last) return value;
    value = f(ev);
    last = ev;
    return value;
  };
}

/**
 * Attaches the extractors (and any-of readers) to a definitions table by field name: the one
 * way a syscall table gets its extractors. Lookups go through the definitions' own lookup, so
 * argument rules and special forms (`evt.rawarg.NAME` typed by its parameter) stay theirs.
 */
export function attachExtractors(table: FieldTable): { table: FieldTable<SyscallEvent>; missing: string[] } {
  const missing: string[] = [];
  const attached = new Map<FieldDef, FieldDef<SyscallEvent>>();
  const attach = (d: FieldDef): FieldDef<SyscallEvent> => {
    let out = attached.get(d);
    if (!out) {
      const spec = SYSCALL_EXTRACTORS[d.name];
      out = { ...(d as FieldDef<SyscallEvent>) };
      if (spec) {
        out.extract = (d.arg === 'none' || d.arg === undefined) && MEMO_FAMILIES.test(d.name) ? rememberLast(spec.extract) : spec.extract;
        if (spec.anyOf) out.anyOf = spec.anyOf;
        if (spec.anyOfNotEqual) out.anyOfNotEqual = spec.anyOfNotEqual;
      }
      attached.set(d, out);
    }
    return out;
  };
  const fields = table.fields.map((d) => {
    if (!SYSCALL_EXTRACTORS[d.name]) missing.push(d.name);
    return attach(d);
  });
  return {
    table: {
      source: table.source,
      fields,
      lookup: (name) => {
        const r = table.lookup(name);
        return r ? { def: attach(r.def), impliedArg: r.impliedArg } : undefined;
      },
    },
    missing,
  };
}
