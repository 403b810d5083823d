/**
 * The compile functions the loader uses from the condition engineer's rooms (contract items
 * 2 and 3), gathered in one place.
 * TEMPORARY: stand-ins until src/rules/compiler and src/rules/output land.
 * @module
 */
import type { Diagnostic } from '../../core/index.ts';
import type { Expr } from '../condition/index.ts';
import type { FieldTable } from '../fields.ts';

/** Type-checks a condition against a field table. */
export function checkCondition(_expr: Expr, _table: FieldTable<any>): Diagnostic[] {
  return [];
}

/** Compiles a condition to a predicate. */
export function compilePredicate<E>(_expr: Expr, _table: FieldTable<E>): (event: E) => boolean {
  return () => false;
}

/** Event types a condition can match (undefined = all). */
export function eventTypes(expr: Expr): Set<string> | undefined {
  switch (expr.kind) {
    case 'and': {
      let acc: Set<string> | undefined;
      for (const c of expr.children) {
        const t = eventTypes(c);
        if (!t) continue;
        acc = acc ? new Set([...acc].filter((x) => t.has(x))) : t;
      }
      return acc;
    }
    case 'or': {
      const acc = new Set<string>();
      for (const c of expr.children) {
        const t = eventTypes(c);
        if (!t) return undefined;
        for (const x of t) acc.add(x);
      }
      return acc;
    }
    case 'binary':
      if (expr.left.kind === 'field' && expr.left.field === 'evt.type') {
        if (expr.op === '=' || expr.op === '==') return expr.right.kind === 'value' ? new Set([expr.right.value]) : undefined;
        if (expr.op === 'in') return expr.right.kind === 'list' ? new Set(expr.right.values.map((v) => v.value)) : undefined;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Compiles an output format. */
export function compileOutput<E>(format: string, _table: FieldTable<E>) {
  const fieldNames = [...format.matchAll(/%\(?([a-zA-Z0-9_.]+)/g)].map((m) => m[1]!);
  return {
    diagnostics: [] as Diagnostic[],
    fieldNames,
    render: (_e: E) => format,
    fields: (_e: E) => ({}) as Record<string, string | number | boolean | null>,
  };
}
