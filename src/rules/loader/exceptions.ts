/**
 * Exceptions -> condition text, exactly as Falco generates it:
 * `(COND) and not ((f1 c1 v1 and f2 c2 v2) or (...))` per exception, in order.
 * @module
 */
import { VigilError } from '../../core/index.ts';
import { isListOperator } from '../collector/index.ts';
import type { ExceptionInfo } from '../reader/index.ts';

function quoteItem(e: string): string {
  return e.includes(' ') && e[0] !== '"' && e[0] !== "'" ? `"${e}"` : e;
}

function parenItem(e: string): string {
  return e[0] !== '(' ? `(${e})` : e;
}

/** The rule condition with its exceptions appended; throws LOAD_ERR_VALIDATE on shape errors. */
export function applyExceptions(
  condition: string,
  exceptions: ExceptionInfo[],
  rule: string,
): string {
  let out = `(${condition})`;
  for (const ex of exceptions) {
    const fields = ex.fields;
    if (!fields) continue;
    const fail = (msg: string) => {
      const e = new VigilError('LOAD_ERR_VALIDATE', msg, ex.pos);
      e.diagnostic.item = rule;
      return e;
    };
    let icond = '';
    if (!fields.isList) {
      const comp = ex.comps?.item ?? 'in';
      for (const val of ex.values) {
        if (val.isList) throw fail('Expected values array to contain a list of strings');
        icond += icond === '' ? `(${fields.item} ${comp} (` : ', ';
        icond += quoteItem(val.item);
      }
      if (icond !== '') icond += '))';
    } else {
      const comps = ex.comps?.items ?? fields.items.map(() => ({ item: '=' }));
      icond = '(';
      for (const values of ex.values) {
        if (fields.items.length !== values.items.length)
          throw fail('Fields and values lists must have equal length');
        icond += icond === '(' ? '' : ' or ';
        icond += '(';
        fields.items.forEach((field, k) => {
          const v = values.items[k]!;
          const comp = comps[k]!.item;
          let istr: string;
          if (v.isList) istr = '(' + v.items.map((x) => quoteItem(x.item)).join(', ') + ')';
          else istr = isListOperator(comp) ? parenItem(v.item) : quoteItem(v.item);
          icond += (k === 0 ? '' : ' and ') + ` ${field.item} ${comp} ${istr}`;
        });
        icond += ')';
      }
      icond += ')';
      if (icond === '()') icond = '';
    }
    if (icond !== '') out += ' and not ' + icond;
  }
  return out;
}
