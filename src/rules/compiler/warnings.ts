/**
 * Compile-time warnings Falco emits for conditions: regexes replaceable by simpler operators,
 * field names or transformers used as string literals (LOAD_COMPILE_CONDITION), `<NA>`
 * comparisons on ka.* / jevt.* (LOAD_UNSAFE_NA_CHECK) and deprecated fields (LOAD_DEPRECATED_ITEM).
 * @module
 */
import { warning, type Diagnostic } from '../../core/index.ts';
import type { SourcePos, ValueExpr } from '../condition/index.ts';
import { SUPPORTED_TRANSFORMERS } from '../condition/index.ts';
import type { FieldDef, FieldTable } from '../fields.ts';

const RX_SPECIAL = '.+*?^$()[]{}|\\';
const RX_OCCURRENCE = '+*?';

function at(pos: SourcePos): { line: number; column: number; offset: number } {
  return { line: pos.line, column: pos.column, offset: pos.offset };
}

/** True when a regex is only a literal with optional anchors or leading/trailing `.*`, `.+`, `.?`. */
export function regexIsTrivial(v: string): boolean {
  const len = v.length;
  for (let i = 0; i < len; i++) {
    if ((i === 0 && v[i] === '^') || (i === len - 1 && v[i] === '$')) continue;
    if (((i === 0 && len > 1) || i === len - 2) && v[i] === '.' && RX_OCCURRENCE.includes(v[i + 1] ?? '\0')) {
      i++;
      continue;
    }
    if (RX_SPECIAL.includes(v[i]!)) return false;
  }
  return true;
}

/** Warnings about the literal values of one check. */
export function valueWarnings(op: string, values: ValueExpr[], table: FieldTable<unknown>, leftField: string | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (leftField && /^(ka|jevt)\./.test(leftField) && ['=', '!=', 'in', 'intersects', 'pmatch'].includes(op)
    && values.some((v) => v.value === '<NA>')) {
    out.push(warning('LOAD_UNSAFE_NA_CHECK', `Unsafe <NA> comparison in condition: '${leftField}' may be missing for other reasons; use 'exists'`, at(values[0]!.pos)));
  }
  for (const v of values) {
    const s = v.value;
    const nospaces = s.replace(/[\t\n\v\f\r ]/g, '');
    if (op === 'regex' && regexIsTrivial(s)) {
      out.push(warning('LOAD_COMPILE_CONDITION',
        `regex check with '${s}' may be optimized with simpler operators such as '=', 'contains', 'startswith', 'endswith'`, at(v.pos)));
    }
    if (nospaces && /^[a-zA-Z]/.test(nospaces) && table.lookup(nospaces.replace(/\[.*$/, ''))) {
      out.push(warning('LOAD_COMPILE_CONDITION', `'${s}' may be a valid field misused as a const string value`, at(v.pos)));
    }
    for (const t of SUPPORTED_TRANSFORMERS) {
      if (nospaces.length >= t.length + 2 && nospaces.startsWith(t) && nospaces[t.length] === '(' && nospaces.endsWith(')')) {
        out.push(warning('LOAD_COMPILE_CONDITION', `'${s}' may be a valid field transformer misused as a const string value`, at(v.pos)));
      }
    }
  }
  return out;
}

const DEPRECATED = /^evt\.(dir|latency(\..*)?|wait_latency)$/;

/** LOAD_DEPRECATED_ITEM for evt.dir, evt.latency*, evt.wait_latency and fields marked deprecated. */
export function deprecationWarnings(fields: { name: string; def: FieldDef<unknown> }[], pos: SourcePos): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of fields) {
    if (DEPRECATED.test(f.name) || f.def.deprecated) {
      const why = f.name === 'evt.dir' ? ' (enter events are dropped: evt.dir is always \'<\')' : '';
      out.push(warning('LOAD_DEPRECATED_ITEM', `field '${f.name}' is deprecated${why}`, at(pos)));
    }
  }
  return out;
}
