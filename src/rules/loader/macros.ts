/**
 * Macro resolution on the AST: a bare identifier is replaced by the macro's (resolved) tree.
 * Trees are shared, never cloned, so a macro used a thousand times costs one tree; a path
 * stack turns reference loops into errors instead of hangs.
 * @module
 */
import type { Expr } from '../condition/index.ts';

/** A macro as the resolver sees it. */
export interface MacroEntry {
  name: string;
  ast: Expr;
  /** Definition index; a macro is visible to a condition when index < its visibility. */
  index: number;
  /** True once `ast` holds no more identifiers. */
  resolved: boolean;
  used: boolean;
}

/** Why resolution failed: Falco's texts ("Undefined macro 'x' used in filter."). */
export class MacroError extends Error {}

/** Resolves every identifier in `ast` against the macros visible below `visibility`. */
export function resolveMacros(
  ast: Expr,
  macros: Map<string, MacroEntry>,
  visibility: number,
): Expr {
  const path: string[] = [];
  let firstError: string | undefined;
  let firstUnknown: string | undefined;

  const visit = (e: Expr): Expr => {
    switch (e.kind) {
      case 'and':
      case 'or': {
        let changed = false;
        const kids = e.children.map((c) => {
          const r = visit(c);
          if (r !== c) changed = true;
          return r;
        });
        return changed ? { ...e, children: kids } : e;
      }
      case 'not': {
        const c = visit(e.child);
        return c === e.child ? e : { ...e, child: c };
      }
      case 'identifier': {
        const m = macros.get(e.name);
        if (!m || m.index >= visibility) {
          firstUnknown ??= e.name;
          return e;
        }
        m.used = true;
        if (m.resolved) return m.ast;
        if (path.includes(m.name)) {
          firstError ??= `reference loop in macro '${m.name}'`;
          return e;
        }
        path.push(m.name);
        const r = visit(m.ast);
        path.pop();
        return r;
      }
      default:
        return e;
    }
  };
  const out = visit(ast);
  if (firstError) throw new MacroError(firstError);
  if (firstUnknown) throw new MacroError(`Undefined macro '${firstUnknown}' used in filter.`);
  return out;
}
