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

const DELIM_RE = /[ \t\n\r(),=]+/;

/**
 * Substitutes every list into a condition text, marking the lists used. Only lists whose name
 * occurs as a token are tried (plus any name a substitution brings in), in definition order,
 * which gives Falco's result without scanning every list for every condition.
 */
export class ListSubstituter {
  private readonly subs: string[];
  private readonly byName = new Map<string, number>();
  /** Lists whose names contain a delimiter can never be found as tokens: always tried. */
  private readonly odd: number[] = [];

  constructor(private readonly lists: ExpandedList[]) {
    this.subs = lists.map((l) => l.itemsCompiled.map(quoteItem).join(', '));
    lists.forEach((l, i) => {
      if (DELIM_RE.test(l.name) || l.name === '') this.odd.push(i);
      else if (!this.byName.has(l.name)) this.byName.set(l.name, i);
    });
  }

  private mark(text: string, from: number, todo: Uint8Array): void {
    for (const tok of text.split(DELIM_RE)) {
      const i = this.byName.get(tok);
      if (i !== undefined && i > from) todo[i] = 1;
    }
  }

  /** The condition with all list names replaced by their items. */
  apply(condition: string): string {
    const todo = new Uint8Array(this.lists.length);
    this.mark(condition, -1, todo);
    for (const i of this.odd) todo[i] = 1;
    let cnd = condition;
    for (let i = 0; i < todo.length; i++) {
      if (!todo[i]) continue;
      const list = this.lists[i]!;
      const r = resolveList(cnd, list, this.subs[i]!);
      if (r !== undefined) {
        cnd = r;
        list.used = true;
        // items may name lists defined later: those are substituted in their turn
        this.mark(this.subs[i]!, i, todo);
      }
    }
    return cnd;
  }
}
