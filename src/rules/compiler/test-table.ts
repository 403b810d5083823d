/**
 * A small field table over plain objects, for the compiler's and output formatter's unit tests.
 * @module
 */
import type { FieldDef, FieldTable, FieldType } from '../fields.ts';

/** A test event: field name -> value. */
export type TestEvent = Record<string, unknown>;

/** Builds a table whose fields read `event[name]` (or `event[name + '[' + arg + ']']`). */
export function testTable(types: Record<string, FieldType | [FieldType, 'list' | 'arg']>): FieldTable<TestEvent> {
  const fields: FieldDef<TestEvent>[] = Object.entries(types).map(([name, t]) => {
    const [type, flag] = Array.isArray(t) ? t : [t, undefined];
    return {
      name, type, desc: name, isList: flag === 'list', arg: flag === 'arg' ? 'optional-key' : 'none',
      extract: (e: TestEvent, arg?: string) => e[arg === undefined ? name : `${name}[${arg}]`] as never,
    };
  });
  const byName = new Map(fields.map((f) => [f.name, f]));
  return { source: 'test', fields, lookup: (n) => (byName.has(n) ? { def: byName.get(n)! } : undefined) };
}
