/**
 * The syntax tree of a Falco condition, as produced by the parser and consumed by the
 * macro resolver, the type checker, the event-type analyser and the code generator.
 * Mirrors libsinsp's filter AST: and/or hold flat child lists, `not` holds one child.
 * @module
 */

/** Position of a node in the condition text (0-based offset; 1-based line/column). */
export interface SourcePos {
  offset: number;
  line: number;
  column: number;
}

/** Any boolean expression. */
export type Expr = AndExpr | OrExpr | NotExpr | IdentifierExpr | UnaryCheckExpr | BinaryCheckExpr;

/** `a and b and c` (flattened). */
export interface AndExpr {
  kind: 'and';
  children: Expr[];
  pos: SourcePos;
}

/** `a or b or c` (flattened). */
export interface OrExpr {
  kind: 'or';
  children: Expr[];
  pos: SourcePos;
}

/** `not a`. */
export interface NotExpr {
  kind: 'not';
  child: Expr;
  pos: SourcePos;
}

/** A bare identifier: a macro reference, resolved after parsing. */
export interface IdentifierExpr {
  kind: 'identifier';
  name: string;
  pos: SourcePos;
}

/** `field exists`. */
export interface UnaryCheckExpr {
  kind: 'unary';
  left: FieldExpr | TransformerExpr;
  op: 'exists';
  pos: SourcePos;
}

/** `field op value`, `field in (a, b)`, `field startswith oneof (a, b)`, `f1 = val(f2)`. */
export interface BinaryCheckExpr {
  kind: 'binary';
  left: FieldExpr | TransformerExpr;
  /** One of the 19 binary operators, e.g. `=`, `contains`, `in`. `==` is kept as written. */
  op: string;
  /** `oneof` / `anyof` / `allof` after a string operator, when present (right is then a list or a list name). */
  modifier?: 'oneof' | 'anyof' | 'allof';
  right: ValueExpr | ListExpr | FieldExpr | TransformerExpr;
  pos: SourcePos;
}

/** A field reference, `proc.aname[2]` -> `{ field: 'proc.aname', arg: '2' }` (`[""]` gives arg ''). */
export interface FieldExpr {
  kind: 'field';
  field: string;
  arg?: string;
  pos: SourcePos;
}

/** `tolower(x)`, `val(f)`, `join(",", (a, b))`... Arguments may nest. */
export interface TransformerExpr {
  kind: 'transformer';
  name: string;
  args: (FieldExpr | TransformerExpr | ValueExpr | ListExpr | TransformerListExpr)[];
  /** `toupper(fd.name)[x]` parses (libsinsp grammar) but the compiler rejects it. */
  arg?: string;
  pos: SourcePos;
}

/** A transformer argument list such as `(fd.name, "x", 1)` in `join("-", (...))`; may be empty. */
export interface TransformerListExpr {
  kind: 'transformer-list';
  items: (FieldExpr | TransformerExpr | ValueExpr)[];
  pos: SourcePos;
}

/** A literal after unescaping; `quoted` remembers how it was written (for canonical printing). */
export interface ValueExpr {
  kind: 'value';
  value: string;
  quoted?: boolean;
  pos: SourcePos;
}

/** `(a, b, c)`; may be empty. */
export interface ListExpr {
  kind: 'list';
  values: ValueExpr[];
  pos: SourcePos;
}
