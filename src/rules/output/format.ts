/**
 * Compiles a rule's output format once: literal text and `%` tokens. A token is the longest
 * field (or transformer) that parses and is known to the table, shrinking one character at a
 * time as libsinsp's formatter does; `%Nfield` pads or cuts to N characters; `%(field)` is
 * accepted as a delimited form. Missing values print as `<NA>` (Falco always formats with `*`).
 * @module
 */
import { error, warning, type Diagnostic } from '../../core/index.ts';
import { ConditionSyntaxError, fieldNameLengthAt, parseOperandAt } from '../condition/index.ts';
import type { FieldExpr, TransformerExpr } from '../condition/index.ts';
import { CompileError, resolveOperand, type Operand } from '../compiler/index.ts';
import type { FieldTable } from '../fields.ts';
import { jsonValue, renderValue, type OutputValue } from './render.ts';

export type { OutputValue } from './render.ts';

/** The text printed for a missing value. */
export const NA = '<NA>';

/** A compiled output format. */
export interface CompiledOutput<E> {
  diagnostics: Diagnostic[];
  /** Names of the plain field tokens, as written (e.g. `proc.aname[2]`), in order, without duplicates. */
  fieldNames: string[];
  render(event: E): string;
  /** Typed values of the plain field tokens (transformer tokens are skipped, as in Falco). */
  fields(event: E): Record<string, OutputValue>;
}

type Token<E> = string | { op: Operand<E>; width: number; name: string };

// Longer field names than this are not real fields; the cap keeps the greedy shrinking linear.
const MAX_FIELD_NAME = 256;

/** Compiles an output format against a field table. */
export function compileOutput<E>(format: string, table: FieldTable<E>): CompiledOutput<E> {
  const diagnostics: Diagnostic[] = [];
  let fmt = format.startsWith('*') ? format.slice(1) : format;
  if (fmt.includes('%container.info')) {
    diagnostics.push(warning('LOAD_DEPRECATED_ITEM', `%container.info is deprecated and is replaced by an empty string`));
    fmt = fmt.split('%container.info').join('');
  }
  const tokens: Token<E>[] = [];
  let text = '';
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i]!;
    if (c !== '%') {
      text += c;
      i++;
      continue;
    }
    if (text) tokens.push(text);
    text = '';
    if (i === fmt.length - 1) {
      diagnostics.push(error('LOAD_ERR_COMPILE_OUTPUT', 'invalid formatting syntax: formatting cannot end with a %', { offset: i }));
      break;
    }
    let j = i + 1;
    while (j < fmt.length && fmt[j]! >= '0' && fmt[j]! <= '9') j++;
    const width = j > i + 1 ? Number(fmt.slice(i + 1, j)) : 0;
    if (j >= fmt.length) {
      diagnostics.push(error('LOAD_ERR_COMPILE_OUTPUT', 'invalid formatting syntax: formatting cannot end with a number', { offset: i }));
      break;
    }
    const tok = readToken(fmt, j, table);
    if ('error' in tok) {
      diagnostics.push(error('LOAD_ERR_COMPILE_OUTPUT', tok.error, { offset: i }));
      tokens.push({ op: { type: 'CHARBUF', isList: false, get: () => undefined, fields: [], plain: false }, width, name: '' });
      i = tok.end;
      continue;
    }
    tokens.push({ op: tok.op, width, name: tok.name });
    i = tok.end;
  }
  if (text) tokens.push(text);
  return build(tokens, diagnostics);
}

function readToken<E>(fmt: string, at: number, table: FieldTable<E>): { op: Operand<E>; name: string; end: number } | { error: string; end: number } {
  // `%(field)`: an explicitly delimited token.
  if (fmt[at] === '(') {
    const close = fmt.indexOf(')', at);
    const inner = close > at ? fmt.slice(at + 1, close) : '';
    const r = inner ? tryOperand(inner, 0, table) : undefined;
    if (r && !('error' in r) && r.end === inner.length) return { op: r.op, name: r.name, end: close + 1 };
    return { error: `invalid formatting token %(${inner}`, end: close > at ? close + 1 : fmt.length };
  }
  const flen = fieldNameLengthAt(fmt, at);
  if (flen === 0) {
    const r = tryOperand(fmt, at, table); // transformers
    if (!('error' in r)) return r;
    return { error: `unknown filter: invalid formatting token at '%${fmt.slice(at, at + 20)}'`, end: at };
  }
  if (flen > MAX_FIELD_NAME) return { error: `unknown filter: field name too long at offset ${at}`, end: at + flen };
  // The full token (with any [arg]) first, then ever shorter field names.
  const first = tryOperand(fmt, at, table);
  if (!('error' in first)) return first;
  let firstError = first.error;
  for (let len = flen; len > 0; len--) {
    const cand = fmt.slice(at, at + len);
    if (fieldNameLengthAt(cand, 0) !== len) continue;
    const r = tryOperand(cand, 0, table);
    if (!('error' in r)) return { ...r, end: at + len };
    if (len === flen) firstError = r.error;
  }
  return { error: `unknown filter: ${firstError}`, end: at + flen };
}

function tryOperand<E>(text: string, at: number, table: FieldTable<E>): { op: Operand<E>; name: string; end: number } | { error: string } {
  let node: FieldExpr | TransformerExpr;
  let end: number;
  try {
    ({ node, end } = parseOperandAt(text, at));
  } catch (e) {
    if (e instanceof ConditionSyntaxError) return { error: e.message };
    throw e;
  }
  try {
    const op = resolveOperand(node, table);
    return { op, name: text.slice(at, end), end };
  } catch (e) {
    if (e instanceof CompileError) return { error: e.message };
    throw e;
  }
}

function build<E>(tokens: Token<E>[], diagnostics: Diagnostic[]): CompiledOutput<E> {
  const parts = tokens.map((t) => {
    if (typeof t === 'string') return (): string => t;
    const { get, type } = t.op;
    const w = t.width;
    return (e: E): string => {
      const s = renderValue(get(e), type) ?? NA;
      return w > 0 ? (s.length >= w ? s.slice(0, w) : s.padEnd(w, ' ')) : s;
    };
  });
  const plain = tokens.filter((t): t is Exclude<Token<E>, string> => typeof t !== 'string' && t.op.plain && t.name !== '');
  const seen = new Map<string, Operand<E>>();
  for (const t of plain) if (!seen.has(t.name)) seen.set(t.name, t.op);
  const entries = [...seen.entries()];
  return {
    diagnostics,
    fieldNames: entries.map(([n]) => n),
    render: (e) => {
      let out = '';
      for (const p of parts) out += p(e);
      return out;
    },
    fields: (e) => {
      const out: Record<string, OutputValue> = {};
      for (const [name, op] of entries) out[name] = jsonValue(op.get(e), op.type);
      return out;
    },
  };
}
