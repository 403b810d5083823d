/**
 * The cursor over a condition's text: positions (offset/line/column, computed from line
 * starts so big inputs stay linear), positioned errors, and the token lexers the parser uses.
 * Every lexer sets `lastToken` on success, except `blank`.
 * @module
 */
import type { SourcePos, ValueExpr } from './ast.ts';
import { ConditionSyntaxError } from './errors.ts';
import { EscapeError, unescapeStr } from './escaping.ts';
import { fieldNameLengthAt } from './tokens.ts';

/** Cursor, positions and lexing helpers shared by the parser. */
export class Lexer {
  protected lastToken = '';
  private lineStarts: number[] | undefined;

  constructor(protected readonly input: string, protected idx = 0) {}

  /** Builds an error at the cursor (or at `at`). */
  fail(message: string, at = this.idx): ConditionSyntaxError {
    return new ConditionSyntaxError(message, this.pos(at));
  }

  protected pos(at = this.idx): SourcePos {
    // Line starts are computed once so positions cost O(log n), keeping big inputs linear.
    if (!this.lineStarts) {
      const ls = [0];
      const s = this.input;
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c === 10 || c === 13) ls.push(i + 1); // libsinsp counts \r and \n each as a line break
      }
      this.lineStarts = ls;
    }
    const ls = this.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { offset: at, line: lo + 1, column: at - ls[lo]! + 1 };
  }


  protected value(pos: SourcePos): ValueExpr {
    const v: ValueExpr = { kind: 'value', value: this.lastToken, pos };
    const c = this.input[pos.offset];
    if (c === '"' || c === "'") v.quoted = true;
    return v;
  }

  protected blank(): boolean {
    const s = this.input;
    const start = this.idx;
    let i = start;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9 || c === 8 || c === 13 || c === 10) i++;
      else break;
    }
    this.idx = i;
    return i > start;
  }

  protected str(tok: string): boolean {
    if (!this.input.startsWith(tok, this.idx)) return false;
    this.lastToken = tok;
    this.idx += tok.length;
    return true;
  }

  protected strList(toks: readonly string[]): boolean {
    for (const t of toks) if (this.str(t)) return true;
    return false;
  }

  /** Operators with a trailing space in the table need a blank after them; backtrack otherwise. */
  protected opList(ops: readonly string[]): boolean {
    for (const op of ops) {
      if (!op.endsWith(' ')) {
        if (this.str(op)) return true;
        continue;
      }
      const savedIdx = this.idx;
      const savedToken = this.lastToken;
      if (this.str(op.slice(0, -1))) {
        if (this.blank()) {
          this.lastToken = op;
          return true;
        }
        this.idx = savedIdx;
        this.lastToken = savedToken;
      }
    }
    return false;
  }

  protected fieldName(): boolean {
    const n = fieldNameLengthAt(this.input, this.idx);
    if (n === 0) return false;
    this.lastToken = this.input.slice(this.idx, this.idx + n);
    this.idx += n;
    return true;
  }

  protected rx(re: RegExp): boolean {
    re.lastIndex = this.idx;
    const m = re.exec(this.input);
    if (!m) return false;
    this.lastToken = m[0];
    this.idx += m[0].length;
    return true;
  }

  /** A `"..."` or `'...'` string; a delimiter closes unless the raw previous char is `\` (libsinsp's rule). */
  protected quoted(): boolean {
    const s = this.input;
    const start = this.idx;
    const delim = s[start];
    if (delim !== '"' && delim !== "'") return false;
    let j = start + 1;
    for (;;) {
      j = s.indexOf(delim, j);
      if (j < 0) return false;
      if (s[j - 1] !== '\\' || j === start + 1) break;
      j++;
    }
    try {
      this.lastToken = unescapeStr(s.slice(start, j + 1));
    } catch (e) {
      if (e instanceof EscapeError) throw this.fail(e.message, start);
      throw e;
    }
    this.idx = j + 1;
    return true;
  }
}
