/**
 * A generic pre-order walk over every node of a condition (boolean nodes, checks, fields,
 * transformers, values, lists), for analyses such as macro lookup or field collection.
 * @module
 */
import type { Expr, FieldExpr, ListExpr, TransformerExpr, TransformerListExpr, ValueExpr } from './ast.ts';

/** Any node of a condition tree. */
export type AnyNode = Expr | FieldExpr | TransformerExpr | ValueExpr | ListExpr | TransformerListExpr;

/** Calls `visit` on every node, parents first; returning false skips a node's children. */
export function walkExpr(root: AnyNode, visit: (node: AnyNode) => boolean | void): void {
  // An explicit stack keeps very deep trees (expanded macros) off the JS call stack.
  const stack: AnyNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    const kids: AnyNode[] = [];
    switch (n.kind) {
      case 'and': case 'or': kids.push(...n.children); break;
      case 'not': kids.push(n.child); break;
      case 'unary': kids.push(n.left); break;
      case 'binary': kids.push(n.left, n.right); break;
      case 'transformer': kids.push(...n.args); break;
      case 'transformer-list': kids.push(...n.items); break;
      case 'list': kids.push(...n.values); break;
      default: break;
    }
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
}
