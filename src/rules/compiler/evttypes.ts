/**
 * The set of `evt.type` values a condition can match, with the semantics of libsinsp's
 * event-type resolver: `and` intersects, `or` unites, `not` complements (De Morgan), checks
 * on other fields match every type, `!=` matches every type but the value.
 * @module
 */
import type { Expr } from '../condition/index.ts';

/** A set of event types, possibly in complement form (`all but names`). */
export interface EventTypeSet {
  /** True: the set is every type except `names`. */
  complement: boolean;
  names: Set<string>;
}

const ALL = (): EventTypeSet => ({ complement: true, names: new Set() });

function union(a: EventTypeSet, b: EventTypeSet): EventTypeSet {
  if (!a.complement && !b.complement) return { complement: false, names: new Set([...a.names, ...b.names]) };
  if (a.complement && b.complement) return { complement: true, names: new Set([...a.names].filter((n) => b.names.has(n))) };
  const [pos, neg] = a.complement ? [b, a] : [a, b];
  return { complement: true, names: new Set([...neg.names].filter((n) => !pos.names.has(n))) };
}

function intersect(a: EventTypeSet, b: EventTypeSet): EventTypeSet {
  if (!a.complement && !b.complement) return { complement: false, names: new Set([...a.names].filter((n) => b.names.has(n))) };
  if (a.complement && b.complement) return { complement: true, names: new Set([...a.names, ...b.names]) };
  const [pos, neg] = a.complement ? [b, a] : [a, b];
  return { complement: false, names: new Set([...pos.names].filter((n) => !neg.names.has(n))) };
}

/** The exact (possibly complemented) event-type set of a condition. */
export function eventTypeSet(expr: Expr, negated = false): EventTypeSet {
  switch (expr.kind) {
    case 'and':
    case 'or': {
      const useUnion = (expr.kind === 'or') !== negated;
      let acc: EventTypeSet | undefined;
      for (const c of expr.children) {
        const s = eventTypeSet(c, negated);
        acc = acc === undefined ? s : useUnion ? union(acc, s) : intersect(acc, s);
      }
      return acc ?? ALL();
    }
    case 'not':
      return eventTypeSet(expr.child, !negated);
    case 'binary': {
      if (expr.left.kind !== 'field' || expr.left.field !== 'evt.type' || expr.left.arg !== undefined || expr.modifier) return ALL();
      const op = expr.op === '==' ? '=' : expr.op;
      const r = expr.right;
      let names: string[];
      if (r.kind === 'value') names = [r.value];
      else if (r.kind === 'list') names = r.values.map((v) => v.value);
      else return ALL();
      if (op === '=' || op === 'in' || op === 'intersects') {
        return negated ? { complement: true, names: new Set(names) } : { complement: false, names: new Set(names) };
      }
      if (op === '!=') return negated ? { complement: false, names: new Set(names) } : { complement: true, names: new Set(names) };
      return ALL();
    }
    default:
      return ALL();
  }
}

/**
 * The `evt.type` values a syscall rule can match; undefined means every type. A complement
 * set (`evt.type != open`) is enumerated only when `universe` (all known event names) is given.
 */
export function eventTypes(expr: Expr, universe?: Iterable<string>): Set<string> | undefined {
  const s = eventTypeSet(expr);
  if (!s.complement) return s.names;
  if (!universe || s.names.size === 0) return undefined;
  const out = new Set<string>();
  for (const n of universe) if (!s.names.has(n)) out.add(n);
  return out;
}
