/**
 * Turns a condition tree into one predicate built from closures (no tree walk per event),
 * and checks a condition against a field table, collecting every error and warning.
 * @module
 */
import { error, VigilError, type Diagnostic } from '../../core/index.ts';
import type { Expr } from '../condition/index.ts';
import type { FieldTable } from '../fields.ts';
import { compileCheck, type Pred } from './checks.ts';
import { CompileError } from './operands.ts';
import { deprecationWarnings, valueWarnings } from './warnings.ts';

/** Compile error code used by Falco's loader. */
export const COMPILE_ERROR_CODE = 'LOAD_ERR_COMPILE_CONDITION';

type Sink = { errors: Diagnostic[]; warnings: Diagnostic[] } | undefined;

const FALSE = (): boolean => false;
const TRUE = (): boolean => true;

function build<E>(expr: Expr, table: FieldTable<E>, sink: Sink): Pred<E> {
  switch (expr.kind) {
    case 'and':
    case 'or': {
      const ps = expr.children.map((c) => build(c, table, sink));
      const isAnd = expr.kind === 'and';
      if (ps.length === 2) {
        const [a, b] = ps as [Pred<E>, Pred<E>];
        return isAnd ? (e) => a(e) && b(e) : (e) => a(e) || b(e);
      }
      if (ps.length === 3) {
        const [a, b, c] = ps as [Pred<E>, Pred<E>, Pred<E>];
        return isAnd ? (e) => a(e) && b(e) && c(e) : (e) => a(e) || b(e) || c(e);
      }
      const n = ps.length;
      return isAnd
        ? (e) => { for (let i = 0; i < n; i++) if (!ps[i]!(e)) return false; return true; }
        : (e) => { for (let i = 0; i < n; i++) if (ps[i]!(e)) return true; return false; };
    }
    case 'not': {
      const p = build(expr.child, table, sink);
      return (e) => !p(e);
    }
    case 'identifier':
      return fail(new CompileError(`Undefined macro '${expr.name}' used in filter.`, expr.pos), sink, FALSE);
    case 'unary':
    case 'binary': {
      const hook = sink
        ? (op: string, values: Parameters<typeof valueWarnings>[1]) => {
          const leftField = expr.left.kind === 'field' ? expr.left.field : undefined;
          sink.warnings.push(...valueWarnings(op, values, table as FieldTable<unknown>, leftField));
        }
        : undefined;
      try {
        const { pred, left } = compileCheck(expr, table, hook);
        if (sink) sink.warnings.push(...deprecationWarnings(left.fields as never, expr.pos));
        return pred;
      } catch (e) {
        if (e instanceof CompileError) return fail(e, sink, TRUE);
        throw e;
      }
    }
  }
}

function fail<E>(e: CompileError, sink: Sink, stub: Pred<E>): Pred<E> {
  const pos = e.pos ? { line: e.pos.line, column: e.pos.column, offset: e.pos.offset } : {};
  if (!sink) throw new VigilError(COMPILE_ERROR_CODE, e.message, pos);
  sink.errors.push(error(COMPILE_ERROR_CODE, e.message, pos));
  return stub;
}

/**
 * Compiles a condition (macros already resolved) into a predicate. Throws a VigilError with
 * code LOAD_ERR_COMPILE_CONDITION on the first error.
 */
export function compilePredicate<E>(expr: Expr, table: FieldTable<E>): (event: E) => boolean {
  return build(expr, table, undefined);
}

/** Every error and warning of a condition against a field table (errors first). */
export function checkCondition<E = unknown>(expr: Expr, table: FieldTable<E>): Diagnostic[] {
  const sink = { errors: [] as Diagnostic[], warnings: [] as Diagnostic[] };
  try {
    build(expr, table, sink);
  } catch (e) {
    if (e instanceof RangeError) sink.errors.push(error(COMPILE_ERROR_CODE, 'condition is nested too deeply'));
    else throw e;
  }
  return [...sink.errors, ...sink.warnings];
}
