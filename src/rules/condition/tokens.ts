/**
 * The token rules of libsinsp's filter grammar: regexes, operator and transformer tables,
 * and the hand-written field-name scanner.
 * @module
 */

// Token rules, as libsinsp's POSIX regexes; written without nested ambiguity so matching
// a sticky regex at the cursor is linear in the token length.
export const RX_NOT_BLANK = /not[\t\n\v\f\r ]+/y;
export const RX_IDENTIFIER = /[a-zA-Z][a-zA-Z0-9_]*/y;
export const RX_FIELD_ARG_BARE = /[^\][\"'\t\n\v\f\r ]+/y;
export const RX_HEX = /0[xX][0-9a-fA-F]+/y;
export const RX_NUM = /[+-]?[0-9]+\.?[0-9]*(?:[eE][+-][0-9]+)?/y;
export const RX_BARE = /[^()"'\t\n\v\f\r =,]+/y;

export const UNARY_OPS = ['exists'];
export const NUM_OPS = ['<=', '<', '>=', '>'];
// A trailing space marks word operators that need a blank after them.
export const STR_OPS = ['==', '=', '!=', 'glob ', 'iglob ', 'contains ', 'icontains ', 'bcontains ',
  'startswith ', 'bstartswith ', 'endswith ', 'regex '];
export const MODIFIERS = ['oneof ', 'anyof ', 'allof '];
export const LIST_OPS = ['intersects', 'in', 'pmatch'];
export const TRANSFORMERS = ['tolower(', 'toupper(', 'b64(', 'basename(', 'len(', 'join(', 'concat(', 'getopt('];
export const VAL = 'val(';

/** The 20 operators libsinsp supports, in its order. */
export const SUPPORTED_OPERATORS: readonly string[] = [
  ...UNARY_OPS, ...NUM_OPS, ...STR_OPS.map((s) => s.trim()), ...LIST_OPS,
];

/** Field transformers, `val` first. */
export const SUPPORTED_TRANSFORMERS: readonly string[] = ['val', ...TRANSFORMERS.map((t) => t.slice(0, -1))];

export const quoteList = (xs: readonly string[]): string => xs.map((x) => `'${x}'`).join(', ');
export const TRANSFORMER_LIST = quoteList(SUPPORTED_TRANSFORMERS);


const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isWordChar = (c: number): boolean => isLetter(c) || (c >= 48 && c <= 57) || c === 95;

/**
 * Length of the field-name token at `start` (libsinsp's FieldName regex
 * `[a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+`), 0 when there is none. Scanned by hand:
 * a regex with a repeated group can exhaust the regex engine's stack on megabyte inputs.
 */
export function fieldNameLengthAt(text: string, start: number): number {
  if (!isLetter(text.charCodeAt(start))) return 0;
  let i = start + 1;
  while (isWordChar(text.charCodeAt(i))) i++;
  let segments = 0;
  while (text.charCodeAt(i) === 46 /* . */ && isLetter(text.charCodeAt(i + 1))) {
    i += 2;
    while (isWordChar(text.charCodeAt(i))) i++;
    segments++;
  }
  return segments > 0 ? i - start : 0;
}
