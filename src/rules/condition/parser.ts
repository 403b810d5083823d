/**
 * Recursive-descent parser for libsinsp's filter grammar (the EBNF in libs
 * `userspace/libsinsp/filter/parser.h`): same token rules, same precedence (or < and < not),
 * same error wording, a depth guard, and positions on every node and error.
 * @module
 */
import type {
  BinaryCheckExpr, Expr, FieldExpr, ListExpr, SourcePos, TransformerExpr, TransformerListExpr, ValueExpr,
} from './ast.ts';
import { ConditionSyntaxError } from './errors.ts';
import { Lexer } from './lexer.ts';
import {
  LIST_OPS, MODIFIERS, NUM_OPS, quoteList, RX_BARE, RX_FIELD_ARG_BARE, RX_HEX, RX_IDENTIFIER,
  RX_NOT_BLANK, RX_NUM, STR_OPS, SUPPORTED_OPERATORS, TRANSFORMER_LIST, TRANSFORMERS, UNARY_OPS, VAL,
} from './tokens.ts';

export { fieldNameLengthAt, SUPPORTED_OPERATORS, SUPPORTED_TRANSFORMERS } from './tokens.ts';

/** Parser options. */
export interface ParseOptions {
  /** Maximum recursion depth (libsinsp's default is 100; Falco's loader sets 1000). */
  maxDepth?: number;
}

/** Parses a condition; throws ConditionSyntaxError. */
export function parseCondition(text: string, opts: ParseOptions = {}): Expr {
  const p = new Parser(text, opts.maxDepth ?? 1000);
  try {
    return p.parse();
  } catch (e) {
    // A depth limit set above what the JS stack holds must still end in a clean error.
    if (e instanceof RangeError) throw p.fail(`exceeded max depth limit of ${opts.maxDepth ?? 1000}`);
    throw e;
  }
}

/**
 * Parses a field (with optional `[arg]`) or a transformer starting at `start`, without
 * requiring the rest of the text to parse (as output formats need); throws ConditionSyntaxError.
 */
export function parseOperandAt(text: string, start: number, maxDepth = 1000): { node: FieldExpr | TransformerExpr; end: number } {
  const p = new Parser(text, maxDepth, start);
  try {
    return p.parseOperand();
  } catch (e) {
    if (e instanceof RangeError) throw p.fail(`exceeded max depth limit of ${maxDepth}`);
    throw e;
  }
}

class Parser extends Lexer {
  private depth = 0;

  constructor(input: string, private readonly maxDepth: number, idx = 0) {
    super(input, idx);
  }

  parseOperand(): { node: FieldExpr | TransformerExpr; end: number } {
    const pos = this.pos();
    let node: FieldExpr | TransformerExpr;
    if (this.fieldName()) node = this.parseFieldRemainder(this.lastToken, pos);
    else if (this.strList(TRANSFORMERS)) {
      this.blank();
      node = this.parseTransformerRemainder(this.lastToken.slice(0, -1), pos);
    } else throw this.fail('expected a field or a transformer');
    return { node, end: this.idx };
  }

  parse(): Expr {
    if (this.input.length === 0) throw this.fail('filter input string is empty');
    const res = this.parseOr();
    if (this.idx !== this.input.length) {
      // Tokens can be megabytes long; messages quote at most 80 characters of one.
      const tok = this.lastToken.length > 80 ? `${this.lastToken.slice(0, 80)}...` : this.lastToken;
      throw this.fail(`unexpected token after '${tok}', expecting 'or', 'and'`);
    }
    return res;
  }

  private enter(): void {
    if (++this.depth >= this.maxDepth) throw this.fail(`exceeded max depth limit of ${this.maxDepth}`);
  }

  private leave(): void {
    this.depth--;
  }

  // ---- boolean structure ----

  private parseOr(): Expr {
    this.enter();
    this.blank();
    const pos = this.pos();
    const children: Expr[] = [this.parseAnd()];
    this.blank();
    while (this.str('or')) {
      if (!this.blank()) {
        if (this.str('(')) children.push(this.parseEmbeddedRemainder());
        else throw this.fail(`expected blank or '(' after 'or'`);
      } else {
        children.push(this.parseAnd());
      }
      this.blank();
    }
    this.leave();
    return children.length > 1 ? { kind: 'or', children, pos } : children[0]!;
  }

  private parseAnd(): Expr {
    this.enter();
    this.blank();
    const pos = this.pos();
    const children: Expr[] = [this.parseNot()];
    this.blank();
    while (this.str('and')) {
      if (!this.blank()) {
        if (this.str('(')) children.push(this.parseEmbeddedRemainder());
        else throw this.fail(`expected blank or '(' after 'and'`);
      } else {
        children.push(this.parseNot());
      }
      this.blank();
    }
    this.leave();
    return children.length > 1 ? { kind: 'and', children, pos } : children[0]!;
  }

  private parseNot(): Expr {
    this.enter();
    this.blank();
    const pos = this.pos();
    let negate = false;
    // Repeated `not`s toggle, as in libsinsp: `not not a` is `a`.
    while (this.rx(RX_NOT_BLANK)) negate = !negate;
    let child: Expr;
    if (this.str('not(')) {
      negate = !negate;
      child = this.parseEmbeddedRemainder();
    } else {
      child = this.parseCheck();
    }
    this.leave();
    return negate ? { kind: 'not', child, pos } : child;
  }

  private parseEmbeddedRemainder(): Expr {
    this.enter();
    this.blank();
    const child = this.parseOr();
    this.blank();
    if (!this.str(')')) throw this.fail(`expected a ')' token`);
    this.leave();
    return child;
  }

  private parseCheck(): Expr {
    this.enter();
    this.blank();
    const pos = this.pos();
    let res: Expr;
    if (this.str('(')) {
      res = this.parseEmbeddedRemainder();
    } else if (this.fieldName()) {
      res = this.parseCondition(this.parseFieldRemainder(this.lastToken, pos), pos);
    } else if (this.strList(TRANSFORMERS)) {
      this.blank();
      const left = this.parseTransformerRemainder(this.lastToken.slice(0, -1), pos);
      res = this.parseCondition(left, pos);
    } else if (this.rx(RX_IDENTIFIER)) {
      res = { kind: 'identifier', name: this.lastToken, pos };
    } else {
      throw this.fail(`expected a '(' token, a field check, or an identifier`);
    }
    this.leave();
    return res;
  }

  // ---- fields and transformers ----

  private parseFieldRemainder(field: string, pos: SourcePos): FieldExpr {
    this.enter();
    const node: FieldExpr = { kind: 'field', field, pos };
    const arg = this.parseOptionalFieldArg();
    if (arg !== undefined) node.arg = arg;
    this.leave();
    return node;
  }

  private parseOptionalFieldArg(): string | undefined {
    if (!this.str('[')) return undefined;
    if (!this.quoted() && !this.rx(RX_FIELD_ARG_BARE)) {
      throw this.fail('expected a valid field argument: a quoted string or a bare string');
    }
    const arg = this.lastToken;
    if (!this.str(']')) throw this.fail(`expected a ']' token`);
    return arg;
  }

  private parseTransformerRemainder(name: string, pos: SourcePos): TransformerExpr {
    this.enter();
    this.blank();
    const args: TransformerExpr['args'] = [];
    do {
      args.push(this.parseTransformerArg());
      this.blank();
    } while (this.str(','));
    this.blank();
    if (!this.str(')')) throw this.fail(`expected a ')' token closing the transformer`);
    const node: TransformerExpr = { kind: 'transformer', name, args, pos };
    const arg = this.parseOptionalFieldArg();
    if (arg !== undefined) node.arg = arg;
    this.leave();
    return node;
  }

  private parseTransformerArg(): TransformerExpr['args'][number] {
    this.enter();
    this.blank();
    const pos = this.pos();
    let res: TransformerExpr['args'][number];
    if (this.rx(RX_HEX) || this.rx(RX_NUM) || this.quoted()) {
      res = this.value(pos);
    } else if (this.str('(')) {
      res = this.parseTransformerList(pos);
    } else if (this.strList(TRANSFORMERS)) {
      res = this.parseTransformerRemainder(this.lastToken.slice(0, -1), pos);
    } else if (this.fieldName()) {
      res = this.parseFieldRemainder(this.lastToken, pos);
    } else {
      throw this.fail('expected field transformer argument: field, transformer, quoted string, number, or transformer list');
    }
    this.leave();
    return res;
  }

  private parseTransformerList(pos: SourcePos): TransformerListExpr {
    const items: TransformerListExpr['items'] = [];
    this.blank();
    if (this.str(')')) return { kind: 'transformer-list', items, pos };
    items.push(this.parseTransformerListArg());
    this.blank();
    while (this.str(',')) {
      this.blank();
      items.push(this.parseTransformerListArg());
      this.blank();
    }
    if (!this.str(')')) throw this.fail(`expected ')'`);
    return { kind: 'transformer-list', items, pos };
  }

  private parseTransformerListArg(): TransformerListExpr['items'][number] {
    const pos = this.pos();
    if (this.fieldName()) return this.parseFieldRemainder(this.lastToken, pos);
    if (this.strList(TRANSFORMERS)) {
      this.blank();
      return this.parseTransformerRemainder(this.lastToken.slice(0, -1), pos);
    }
    if (this.quoted() || this.rx(RX_HEX) || this.rx(RX_NUM)) return this.value(pos);
    throw this.fail('expected transformer list argument: field, transformer, quoted string, or number');
  }

  // ---- conditions and values ----

  private parseCondition(left: FieldExpr | TransformerExpr, pos: SourcePos): Expr {
    this.enter();
    this.blank();
    if (this.opList(UNARY_OPS)) {
      this.leave();
      return { kind: 'unary', left, op: 'exists', pos };
    }
    this.blank();
    let node: BinaryCheckExpr;
    if (this.opList(NUM_OPS)) {
      node = { kind: 'binary', left, op: this.lastToken, right: this.parseNumValueOrTransformer(), pos };
    } else if (this.opList(STR_OPS)) {
      const op = this.lastToken.trim();
      // Word operators consumed their blank already; symbol operators need one before a modifier.
      const hadBlank = /^[a-z]/.test(op) || this.blank();
      const savedIdx = this.idx;
      const savedToken = this.lastToken;
      if (hadBlank && this.opList(MODIFIERS) && this.listValueFollows() && !this.boolKeywordFollows()) {
        const modifier = this.lastToken.trim() as 'oneof' | 'anyof' | 'allof';
        node = { kind: 'binary', left, op, modifier, right: this.parseListValue(), pos };
      } else {
        this.idx = savedIdx;
        this.lastToken = savedToken;
        node = { kind: 'binary', left, op, right: this.parseStrValueOrTransformer(false), pos };
      }
    } else if (this.opList(LIST_OPS)) {
      const op = this.lastToken;
      node = { kind: 'binary', left, op, right: this.parseListValueOrTransformer(), pos };
    } else {
      throw this.fail(`expected a valid check operator: one of ${quoteList(SUPPORTED_OPERATORS)}`);
    }
    this.leave();
    return node;
  }

  private parseNumValueOrTransformer(): ValueExpr | TransformerExpr {
    this.enter();
    this.blank();
    const pos = this.pos();
    const t = this.tryTransformerOrVal();
    if (t) {
      this.leave();
      return t;
    }
    if (this.rx(RX_HEX) || this.rx(RX_NUM)) {
      this.leave();
      return this.value(pos);
    }
    throw this.fail(`expected a number value or a field with a valid transformer: ${TRANSFORMER_LIST}`);
  }

  private parseStrValueOrTransformer(noTransformer: boolean): ValueExpr | TransformerExpr {
    this.enter();
    this.blank();
    const pos = this.pos();
    if (!noTransformer) {
      const t = this.tryTransformerOrVal();
      if (t) {
        this.leave();
        return t;
      }
    }
    if (this.quoted() || this.rx(RX_BARE)) {
      this.leave();
      return this.value(pos);
    }
    if (noTransformer) throw this.fail('expected a string value');
    throw this.fail(`expected a string value or a field with a valid transformer: ${TRANSFORMER_LIST}`);
  }

  private tryListExpr(): ListExpr | undefined {
    const pos = this.pos();
    if (!this.str('(')) return undefined;
    const values: ValueExpr[] = [];
    this.blank();
    let first: ValueExpr | TransformerExpr | undefined;
    const save = this.depth;
    try {
      first = this.parseStrValueOrTransformer(true);
    } catch (e) {
      if (!(e instanceof ConditionSyntaxError)) throw e;
      this.depth = save; // libsinsp treats any failure here as "the list is empty"
    }
    if (first) {
      values.push(first as ValueExpr);
      this.blank();
      while (this.str(',')) {
        values.push(this.parseStrValueOrTransformer(true) as ValueExpr);
        this.blank();
      }
    }
    if (!this.str(')')) throw this.fail(`expected a ')' token`);
    return { kind: 'list', values, pos };
  }

  private parseListValue(): ListExpr | ValueExpr {
    this.enter();
    this.blank();
    const pos = this.pos();
    const list = this.tryListExpr();
    this.leave();
    if (list) return list;
    if (this.rx(RX_IDENTIFIER)) return this.value(pos);
    throw this.fail('expected a list or an identifier');
  }

  private parseListValueOrTransformer(): ListExpr | ValueExpr | TransformerExpr {
    this.enter();
    this.blank();
    const pos = this.pos();
    const res = this.tryListExpr() ?? this.tryTransformerOrVal();
    this.leave();
    if (res) return res;
    if (this.rx(RX_IDENTIFIER)) return this.value(pos);
    throw this.fail(`expected a list, an identifier, or a field with a valid transformer: ${TRANSFORMER_LIST}`);
  }

  private tryTransformerOrVal(): TransformerExpr | undefined {
    this.enter();
    this.blank();
    const pos = this.pos();
    let res: TransformerExpr | undefined;
    if (this.str(VAL)) {
      this.blank();
      const fieldPos = this.pos();
      if (!this.fieldName()) throw this.fail(`expected a field within 'val' transformer`);
      const child = this.parseFieldRemainder(this.lastToken, fieldPos);
      this.blank();
      if (!this.str(')')) throw this.fail(`expected a ')' token closing the transformer`);
      res = { kind: 'transformer', name: 'val', args: [child], pos };
      const arg = this.parseOptionalFieldArg();
      if (arg !== undefined) res.arg = arg;
    } else if (this.strList(TRANSFORMERS)) {
      this.blank();
      res = this.parseTransformerRemainder(this.lastToken.slice(0, -1), pos);
    }
    this.leave();
    return res;
  }

  private listValueFollows(): boolean {
    if (this.input.charCodeAt(this.idx) === 40 /* ( */) return true;
    RX_IDENTIFIER.lastIndex = this.idx;
    return RX_IDENTIFIER.test(this.input);
  }

  private boolKeywordFollows(): boolean {
    for (const kw of ['and', 'or', 'not']) {
      if (this.input.startsWith(kw, this.idx)) {
        const next = this.input[this.idx + kw.length];
        if (next === undefined || !/[a-zA-Z0-9]/.test(next)) return true;
      }
    }
    return false;
  }
}
