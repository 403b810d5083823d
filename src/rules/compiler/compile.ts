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

// Generated skeletons above this many leaves fall back to nested closures.
const MAX_GENERATED_LEAVES = 2000;

/**
 * Generates the boolean skeleton (`p0(e) && (!p1(e) || p2(e))`) as one function over the leaf
 * predicates, so and/or/not cost no extra calls. Condition text reaches the generated code only
 * as JSON string literals; everything else is referenced by index. Returns undefined for trees too large or deep for that.
 */
function generate<E>(expr: Expr, table: FieldTable<E>): Pred<E> | undefined {
  const consts: unknown[] = [];
  const ref = (x: unknown): string => {
    consts.push(x);
    return `k${consts.length - 1}`;
  };
  const code = (e: Expr, depth: number): string | undefined => {
    if (depth > 200 || consts.length > MAX_GENERATED_LEAVES) return undefined;
    switch (e.kind) {
      case 'and':
      case 'or': {
        const parts: string[] = [];
        for (const c of e.children) {
          const p = code(c, depth + 1);
          if (p === undefined) return undefined;
          parts.push(p);
        }
        return `(${parts.join(e.kind === 'and' ? ' && ' : ' || ')})`;
      }
      case 'not': {
        const p = code(e.child, depth + 1);
        return p === undefined ? undefined : `!${p}`;
      }
      case 'unary':
      case 'binary': {
        const { pred, inline } = compileCheck(e, table);
        if (!inline) return `${ref(pred)}(e)`;
        const g = ref(inline.get);
        // Strings and finite numbers go in as literals (JSON text is valid JS); sets stay references.
        const c = typeof inline.c === 'string' || (typeof inline.c === 'number' && Number.isFinite(inline.c))
          ? JSON.stringify(inline.c)
          : ref(inline.c);
        const slow = ref(inline.slow);
        switch (inline.shape) {
          case 'exists': return `(${g}(e) !== undefined)`;
          case 'str-eq': return `((v = ${g}(e)) === ${c} || (v !== undefined && typeof v !== 'string' && ${slow}(v)))`;
          case 'str-ne': return `(typeof (v = ${g}(e)) === 'string' ? v !== ${c} : (v !== undefined && ${slow}(v)))`;
          case 'str-in': return `(typeof (v = ${g}(e)) === 'string' ? ${c}.has(v) : (v !== undefined && ${slow}(v)))`;
          case 'num-eq': return `(typeof (v = ${g}(e)) === 'number' ? v === ${c} : (v !== undefined && ${slow}(v)))`;
          case 'num-ne': return `(typeof (v = ${g}(e)) === 'number' ? v !== ${c} : (v !== undefined && ${slow}(v)))`;
        }
        return undefined;
      }
      default:
        return `${ref(build(e, table, undefined))}(e)`;
    }
  };
  const body = code(expr, 0);
  if (body === undefined) return undefined;
  const decls = consts.map((_, i) => `const k${i} = k[${i}];`).join('\n');
  return new Function('k', `${decls}\nreturn function predicate(e) { let v; return ${body}; };`)(consts) as Pred<E>;
}

/**
 * Compiles a condition (macros already resolved) into a predicate. Throws a VigilError with
 * code LOAD_ERR_COMPILE_CONDITION on the first error.
 */
export function compilePredicate<E>(expr: Expr, table: FieldTable<E>): (event: E) => boolean {
  try {
    try {
      const g = generate(expr, table);
      if (g) return g;
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
    }
    return build(expr, table, undefined); // also rethrows a CompileError with its position
  } catch (e) {
    if (e instanceof RangeError) throw new VigilError(COMPILE_ERROR_CODE, 'condition is nested too deeply');
    throw e;
  }
}

/** The same predicate as nested closures only (no generated code); for tests and as the fallback. */
export function compilePredicateClosures<E>(expr: Expr, table: FieldTable<E>): (event: E) => boolean {
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
