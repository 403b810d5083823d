/**
 * Checks on any-of fields (libsinsp's ancestor fields without a level, fd.ip/fd.net/fd.port):
 * the plain check is made against each value in turn.
 * @module
 */
import type { BinaryCheckExpr, UnaryCheckExpr } from '../condition/index.ts';
import type { FieldValue } from '../fields.ts';
import type { Operand } from './operands.ts';
import { normalizeOp } from './types.ts';

type Pred<E> = (event: E) => boolean;

/**
 * A check on an any-of field: it holds when the plain check passes for one value, so
 * `proc.aname != sshd` means "some ancestor is not sshd" and `not proc.aname = sshd` "no
 * ancestor is sshd", as in Falco. Fields declaring `anyOfNotEqual: 'all'` (both ends of a
 * connection) need every value to pass `!=`. `compile` builds the plain check over a slot operand.
 */
export function anyOfCheck<E>(node: UnaryCheckExpr | BinaryCheckExpr, left: Operand<E>, each: NonNullable<Operand<E>['each']>,
  compile: (slot: Operand<E>) => Pred<E>): { pred: Pred<E>; left: Operand<E> } {
  let current: FieldValue;
  // the inner check reads the value under test from `current`; one slot per compiled check
  const inner = compile({ ...left, each: undefined, get: () => current });
  if (node.kind === 'binary' && normalizeOp(node.op) === '!=' && left.fields[0]?.def.anyOfNotEqual === 'all') {
    return {
      left,
      pred: (e) => {
        const vs = each(e);
        if (!vs || vs.length === 0) return false;
        for (let i = 0; i < vs.length; i++) {
          current = vs[i];
          if (current === undefined || !inner(e)) return false;
        }
        return true;
      },
    };
  }
  return {
    left,
    pred: (e) => {
      const vs = each(e);
      if (!vs) return false;
      for (let i = 0; i < vs.length; i++) {
        current = vs[i];
        if (current !== undefined && inner(e)) return true;
      }
      return false;
    },
  };
}
