/**
 * The canonical one-line form of a condition, as libsinsp's `ast::as_string` prints it and
 * Falco's loader tests compare: `(a and b)`, `not x`, `f op v`, lists `(a, b)`.
 * @module
 */
import type { Expr, FieldExpr, ListExpr, TransformerExpr, TransformerListExpr, ValueExpr } from './ast.ts';
import { escapeStr } from './escaping.ts';

type Node = Expr | FieldExpr | TransformerExpr | ValueExpr | ListExpr | TransformerListExpr;

/** Prints a condition in Falco's canonical form. */
export function formatCondition(expr: Expr): string {
  const out: string[] = [];
  write(expr, out);
  return out.join('');
}

function fieldArg(arg: string | undefined, out: string[]): void {
  if (arg === undefined) return;
  out.push(arg === '' ? '[""]' : `[${escapeStr(arg)}]`);
}

function write(n: Node, out: string[]): void {
  switch (n.kind) {
    case 'and':
    case 'or':
      out.push('(');
      n.children.forEach((c, i) => {
        if (i > 0) out.push(` ${n.kind} `);
        write(c, out);
      });
      out.push(')');
      return;
    case 'not':
      out.push('not ');
      write(n.child, out);
      return;
    case 'identifier':
      out.push(n.name);
      return;
    case 'unary':
      write(n.left, out);
      out.push(` ${n.op}`);
      return;
    case 'binary':
      write(n.left, out);
      out.push(` ${n.op}${n.modifier ? ` ${n.modifier}` : ''} `);
      write(n.right, out);
      return;
    case 'field':
      out.push(n.field);
      fieldArg(n.arg, out);
      return;
    case 'transformer':
      out.push(`${n.name}(`);
      n.args.forEach((a, i) => {
        if (i > 0) out.push(',');
        write(a, out);
      });
      out.push(')');
      fieldArg(n.arg, out);
      return;
    case 'transformer-list':
      out.push('(');
      n.items.forEach((a, i) => {
        if (i > 0) out.push(',');
        write(a, out);
      });
      out.push(')');
      return;
    case 'value':
      out.push(escapeStr(n.value));
      return;
    case 'list':
      out.push(`(${n.values.map((v) => escapeStr(v.value)).join(', ')})`);
      return;
  }
}
