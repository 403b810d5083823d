/**
 * Indexing k8s_audit rules by request verb, as Falco indexes syscall rules by event type:
 * the verbs a rule's condition can match (from `ka.verb = x` / `ka.verb in (...)` checks,
 * intersected over `and`, united over `or`) become the rule's event types, and the detector
 * passes each event's verb as its type. Anything the analysis cannot bound (negations, other
 * operators, missing verb checks) leaves the rule evaluated for every event.
 * @module
 */
import type { Expr } from '../../rules/index.ts';

type VerbSet = Set<string> | 'all';

const inter = (a: VerbSet, b: VerbSet): VerbSet => (a === 'all' ? b : b === 'all' ? a : new Set([...a].filter((x) => b.has(x))));
const union = (a: VerbSet, b: VerbSet): VerbSet => (a === 'all' || b === 'all' ? 'all' : new Set([...a, ...b]));

/**
 * The verbs for which `expr` can be true; 'all' when unbounded. Only positive equality and
 * membership checks bound the set: they are false for events without a verb, so such events
 * cannot match a bounded rule. Under `not` (De Morgan), `!=` would be true for a missing verb,
 * so it does not bound.
 */
export function verbSet(expr: Expr, negated = false): VerbSet {
  switch (expr.kind) {
    case 'and':
    case 'or': {
      const unite = (expr.kind === 'or') !== negated;
      let acc: VerbSet | undefined;
      for (const c of expr.children) {
        const s = verbSet(c, negated);
        acc = acc === undefined ? s : unite ? union(acc, s) : inter(acc, s);
      }
      return acc ?? 'all';
    }
    case 'not':
      return verbSet(expr.child, !negated);
    case 'binary': {
      if (negated || expr.modifier || expr.left.kind !== 'field' || expr.left.field !== 'ka.verb' || expr.left.arg !== undefined) return 'all';
      const op = expr.op === '==' ? '=' : expr.op;
      if (op !== '=' && op !== 'in' && op !== 'intersects') return 'all';
      const r = expr.right;
      if (r.kind === 'value') return new Set([r.value]);
      if (r.kind === 'list') return new Set(r.values.map((v) => v.value));
      return 'all';
    }
    default:
      return 'all';
  }
}

/** The verb set as a rule's event types (undefined: every event). */
export function verbEventTypes(expr: Expr): Set<string> | undefined {
  const s = verbSet(expr);
  return s === 'all' ? undefined : s;
}
