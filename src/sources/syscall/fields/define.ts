/**
 * A compact way to declare field definitions: one tuple per field, so the family files read
 * like Falco's field list (name, type, description, argument/list/deprecation options).
 * @module
 */
import type { FieldArgRule, FieldDef, FieldType } from '../../../rules/index.ts';

/** Options of one declared field. */
export interface FieldOpts {
  arg?: FieldArgRule;
  list?: boolean;
  deprecated?: boolean;
  /** Suggested as an output field (see FieldDef.suggestedOutput). */
  suggested?: boolean;
  aliases?: string[];
  /** Accepts the argument after a dot too (`evt.arg.flags` as well as `evt.arg[flags]`). */
  dotted?: boolean;
  validateValue?: (value: string) => string | undefined;
}

/** One declared field: [name, PT_* type, description, options]. */
export type FieldSpec = readonly [name: string, type: FieldType, desc: string, opts?: FieldOpts];

/** A definition plus whether it takes a dotted argument. */
export interface DeclaredField extends FieldDef {
  dotted?: boolean;
}

/** Turns tuples into field definitions (no extractors: the source attaches them). */
export function declare(specs: readonly FieldSpec[]): DeclaredField[] {
  return specs.map(([name, type, desc, o = {}]) => {
    const d: DeclaredField = { name, type, desc, arg: o.arg ?? 'none' };
    if (o.list) d.isList = true;
    if (o.deprecated) d.deprecated = true;
    if (o.suggested) d.suggestedOutput = true;
    if (o.aliases) d.aliases = o.aliases;
    if (o.dotted) d.dotted = true;
    if (o.validateValue) d.validateValue = o.validateValue;
    return d;
  });
}

/** Builds the name -> definition lookup with bracket and dotted argument forms. */
export function buildLookup<E>(
  fields: readonly (FieldDef<E> & { dotted?: boolean })[],
  special?: (prefix: FieldDef<E>, arg: string) => { def: FieldDef<E>; impliedArg?: string } | null | undefined,
): (name: string) => { def: FieldDef<E>; impliedArg?: string } | undefined {
  const byName = new Map<string, FieldDef<E> & { dotted?: boolean }>();
  for (const f of fields) {
    byName.set(f.name, f);
    for (const a of f.aliases ?? []) byName.set(a, f);
  }
  return (name) => {
    const direct = byName.get(name);
    if (direct) return { def: direct };
    // Dotted argument forms: the longest defined prefix that declares them (libsinsp only
    // allows this for a few fields, e.g. evt.arg.NAME, thread.cgroup.SUBSYS, container.label.KEY).
    for (let i = name.lastIndexOf('.'); i > 0; i = name.lastIndexOf('.', i - 1)) {
      const def = byName.get(name.slice(0, i));
      if (!def) continue;
      if (!def.dotted) return undefined;
      const arg = name.slice(i + 1);
      if (arg === '') return undefined;
      // special: a different definition for this argument, null for "no such argument"
      const r = special?.(def, arg);
      return r === null ? undefined : (r ?? { def, impliedArg: arg });
    }
    return undefined;
  };
}
