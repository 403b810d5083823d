/**
 * Comparison operators as libsinsp names them, for validating exception `comps`.
 * @module
 */

/** The 20 operators libsinsp's parser accepts. */
export const OPERATORS = new Set([
  '=',
  '==',
  '!=',
  '<=',
  '>=',
  '<',
  '>',
  'exists',
  'contains',
  'icontains',
  'bcontains',
  'glob',
  'iglob',
  'bstartswith',
  'startswith',
  'endswith',
  'in',
  'intersects',
  'pmatch',
  'regex',
]);

/** Operators whose right-hand side is a list. */
export const LIST_OPERATORS = new Set(['in', 'intersects', 'pmatch']);

/** String operators that accept a `oneof|anyof|allof` modifier. */
const MODIFIABLE = new Set([
  '=',
  '==',
  '!=',
  'contains',
  'icontains',
  'bcontains',
  'startswith',
  'bstartswith',
  'endswith',
  'glob',
  'iglob',
  'regex',
]);

/** True for `<strop> oneof|anyof|allof`, e.g. `startswith oneof`. */
export function isOperatorWithModifier(op: string): boolean {
  const parts = op.trim().split(/\s+/);
  return (
    parts.length === 2 &&
    MODIFIABLE.has(parts[0]!) &&
    ['oneof', 'anyof', 'allof'].includes(parts[1]!)
  );
}

/** True when the operator takes a parenthesised list on its right. */
export function isListOperator(op: string): boolean {
  return LIST_OPERATORS.has(op) || isOperatorWithModifier(op);
}

/** Strips surrounding ASCII whitespace (Falco normalises comps this way). */
export function normalizeComp(op: string): string {
  return op.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}
