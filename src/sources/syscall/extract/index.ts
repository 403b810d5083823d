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
import type { ExtractorMap } from './types.ts';

export type { Extractor, ExtractorMap, ExtractorSpec } from './types.ts';
export { renderArgs, renderParam } from './render.ts';
export { cmdline } from './proc.ts';
export { iso8601Utc, iso8601Local, timeOfDay } from './times.ts';

/** Every syscall extractor, by field name. */
export const SYSCALL_EXTRACTORS: ExtractorMap = { ...EVT, ...PROC, ...FD, ...CONTAINER, ...MORE };

/** Field-name lookup with Falco's suffix forms: `evt.arg.flags`, `evt.arg[0]`, `proc.aname[2]`, `container.mount.dest[/x]`. */
export function makeLookup<E>(fields: FieldDef<E>[]): FieldTable<E>['lookup'] {
  const byName = new Map<string, FieldDef<E>>();
  for (const f of fields) {
    byName.set(f.name, f);
    for (const a of f.aliases ?? []) byName.set(a, f);
  }
  return (name) => {
    const direct = byName.get(name);
    if (direct) return { def: direct };
    // dotted-suffix arguments: the longest defined prefix that takes a key
    for (let i = name.lastIndexOf('.'); i > 0; i = name.lastIndexOf('.', i - 1)) {
      const def = byName.get(name.slice(0, i));
      if (def && def.arg !== 'none') return { def, impliedArg: name.slice(i + 1) };
    }
    return undefined;
  };
}

/** A field table made from the extractor specs alone (used when no definitions are supplied). */
export function standaloneSyscallTable(): FieldTable<SyscallEvent> {
  const fields: FieldDef<SyscallEvent>[] = Object.entries(SYSCALL_EXTRACTORS).map(([name, s]) => ({
    name,
    type: s.type,
    isList: s.isList,
    desc: s.desc,
    arg: s.arg ?? 'none',
    extract: s.extract,
  }));
  return { source: 'syscall', fields, lookup: makeLookup(fields) };
}

/** Attaches extractors to a definitions table (definitions win on type/description); reports names without an extractor. */
export function attachExtractors(table: FieldTable): { table: FieldTable<SyscallEvent>; missing: string[] } {
  const missing: string[] = [];
  const fields = table.fields.map((d) => {
    const spec = SYSCALL_EXTRACTORS[d.name];
    if (!spec) missing.push(d.name);
    return { ...(d as FieldDef<SyscallEvent>), extract: spec?.extract ?? (d as FieldDef<SyscallEvent>).extract };
  });
  const byName = new Map(fields.map((f) => [f.name, f]));
  return {
    table: {
      source: table.source,
      fields,
      lookup: (name) => {
        const r = table.lookup(name);
        if (!r) return undefined;
        const def = byName.get(r.def.name);
        return def ? { def, impliedArg: r.impliedArg } : undefined;
      },
    },
    missing,
  };
}
