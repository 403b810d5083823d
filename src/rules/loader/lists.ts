/**
 * Lists: nested-list expansion (by definition order) and Falco's textual substitution of
 * list names into conditions before parsing.
 * @module
 */
import type { Collector } from '../collector/index.ts';

/** A list after expanding references to earlier lists. */
export interface ExpandedList {
  name: string;
  /** Items as collected (before expansion). */
  items: string[];
  /** Items after inlining earlier lists. */
  itemsCompiled: string[];
  /** Names of lists inlined into this one. */
  lists: string[];
  used: boolean;
}

/** Expands every collected list; a list item naming an earlier-visible list is inlined. */
export function expandLists(col: Collector): ExpandedList[] {
  const out: ExpandedList[] = [];
  const byName = new Map<string, ExpandedList>();
  const usedNames: string[] = [];
  for (const list of col.lists) {
    const compiled: string[] = [];
    const refs: string[] = [];
    for (const item of list.items) {
      const ref = col.lists.get(item);
      if (ref && ref.index < list.visibility) {
        usedNames.push(ref.name);
        refs.push(ref.name);
        compiled.push(...ref.items);
      } else {
        compiled.push(item);
      }
    }
    const e: ExpandedList = {
      name: list.name,
      items: list.items,
      itemsCompiled: compiled,
      lists: refs,
      used: false,
    };
    out.push(e);
    byName.set(e.name, e);
  }
  for (const n of usedNames) byName.get(n)!.used = true;
  return out;
}

function quoteItem(e: string): string {
  return e.includes(' ') && e[0] !== '"' && e[0] !== "'" ? `"${e}"` : e;
}

const BLANKS = ' \t\n\r';
const DELIMS = BLANKS + '(),=';

/** Substitutes one list into a condition (Falco's resolve_list, including its quirks). */
function resolveList(cnd: string, list: ExpandedList, sub: string): string | undefined {
  const name = list.name;
  let start = cnd.indexOf(name);
  if (start < 0) return undefined;
  let used = false;
  while (start >= 0) {
    let end = start + name.length;
    if (
      (start === 0 || DELIMS.includes(cnd[start - 1]!)) &&
      (end >= cnd.length || DELIMS.includes(cnd[end]!))
    ) {
      while (start > 0 && BLANKS.includes(cnd[start - 1]!)) start--;
      while (end < cnd.length && BLANKS.includes(cnd[end]!)) end++;
      if (sub === '') {
        // an empty list must also take one adjacent comma away
        if (start > 0 && cnd[start - 1] === ',') start--;
        else if (end < cnd.length && cnd[end] === ',') end++;
      }
      cnd = (start > 0 ? cnd.slice(0, start) + ' ' : '') + sub + ' ' + cnd.slice(end);
      start += sub.length + 1;
      used = true;
    }
    start = cnd.indexOf(name, start + 1);
  }
  return used ? cnd : undefined;
}

/** Substitutes every list into a condition text, marking the lists used. */
export class ListSubstituter {
  private readonly subs: string[];
  constructor(private readonly lists: ExpandedList[]) {
    this.subs = lists.map((l) => l.itemsCompiled.map(quoteItem).join(', '));
  }

  /** The condition with all list names replaced by their items. */
  apply(condition: string): string {
    let cnd = condition;
    for (let i = 0; i < this.lists.length; i++) {
      const list = this.lists[i]!;
      const r = resolveList(cnd, list, this.subs[i]!);
      if (r !== undefined) {
        cnd = r;
        list.used = true;
      }
    }
    return cnd;
  }
}
