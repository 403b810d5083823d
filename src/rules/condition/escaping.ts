/**
 * libsinsp's string escaping for condition literals: unescaping of quoted strings as the
 * parser reads them, and the quoting used by the canonical printer.
 * @module
 */

/** Raised for an invalid escape; the parser turns it into a positioned syntax error. */
export class EscapeError extends Error {}

const HEX2 = /^[0-9a-fA-F]{2}$/;

/**
 * Unescapes a quoted token including its delimiters (`"a\tb"`). Accepts exactly libsinsp's
 * escapes: \b \f \n \r \t \\ \/ \xHH, `\ ` (kept as a lone backslash, as libsinsp does for
 * old rules), and the escaped delimiter of the same kind only.
 */
export function unescapeStr(token: string): string {
  const delim = token[0];
  const end = token.length - 1;
  let out = '';
  for (let i = 1; i < end; i++) {
    const c = token[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    i++;
    if (i >= end) break; // a trailing lone backslash cannot happen: the lexer would not close there
    const e = token[i]!;
    switch (e) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case ' ': // libsinsp keeps `\ ` for compatibility and emits only the backslash
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case '"':
        if (delim !== '"') throw new EscapeError(`invalid \\" escape in '-quoted string`);
        out += '"';
        break;
      case "'":
        if (delim !== "'") throw new EscapeError(`invalid \\' escape in "-quoted string`);
        out += "'";
        break;
      case 'x': {
        if (i + 2 >= end) throw new EscapeError('truncated hex char escape sequence');
        const hex = token.slice(i + 1, i + 3);
        if (!HEX2.test(hex)) throw new EscapeError(`invalid hex char escape sequence: ${hex}`);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 2;
        break;
      }
      default:
        throw new EscapeError(`unsupported string escape sequence: \\${e}`);
    }
  }
  return out;
}

/**
 * Quotes a value for the canonical form the way libsinsp does: only when it holds a blank,
 * control character, `=`, a quote or a backslash; then `"`, `\` and controls are escaped.
 */
export function escapeStr(s: string): string {
  let out = '';
  let quote = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    switch (c) {
      case '\b': quote = true; out += '\\b'; break;
      case '\f': quote = true; out += '\\f'; break;
      case '\n': quote = true; out += '\\n'; break;
      case '\r': quote = true; out += '\\r'; break;
      case '\t': quote = true; out += '\\t'; break;
      case '\\': quote = true; out += '\\\\'; break;
      case '"': quote = true; out += '\\"'; break;
      case ' ': case '=': case "'": case '\0': quote = true; out += c; break;
      default: out += c;
    }
  }
  return quote ? `"${out}"` : out;
}
