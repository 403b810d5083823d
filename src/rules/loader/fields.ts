/**
 * Field checks the loader needs itself (exception fields), on the source-neutral tables.
 * @module
 */
import type { FieldTable } from '../fields.ts';

const FIELD_RE = /^([a-zA-Z]+[a-zA-Z0-9_]*(?:\.[a-zA-Z]+[a-zA-Z0-9_]*)+)(?:\[(.*)\])?$/;
const TRANSFORMER_RE = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*\((.*)\)$/s;

/**
 * True when `text` is usable on the left of a comparison: a known field (with an optional
 * `[arg]`), possibly wrapped in transformers such as `tolower(proc.name)`.
 */
export function isValidLhsField(table: FieldTable, text: string): boolean {
  let t = text.trim();
  for (let depth = 0; depth < 32; depth++) {
    const m = TRANSFORMER_RE.exec(t);
    if (!m) break;
    t = m[2]!.trim();
    // multi-argument transformers (join, concat): check the first field-looking argument
    if (t.includes(','))
      t =
        t
          .split(',')
          .map((s) => s.trim())
          .find((s) => FIELD_RE.test(s) || TRANSFORMER_RE.test(s)) ?? t;
  }
  const f = FIELD_RE.exec(t);
  if (!f) return false;
  return table.lookup(t) !== undefined || table.lookup(f[1]!) !== undefined;
}
