/**
 * Typed view of the generated event table: per event id its name, direction, flags and
 * parameter layout, plus name-based lookups used by the state engine and extractors.
 * @module
 */
import { EF, PPM_EVENT_MAX, PT, RAW_EVENTS } from './event-table.ts';

export { EF, PPM_EVENT_MAX, PT };

/** One parameter of an event type. */
export interface ParamInfo {
  name: string;
  /** PT_* type id. */
  type: number;
  /** Print format: n=none, d=decimal, h=hex, o=octal. */
  fmt: 'n' | 'd' | 'h' | 'o';
}

/** One event type of the table. */
export interface EventInfo {
  id: number;
  /** The enum name, e.g. `PPME_SYSCALL_OPEN_X`. */
  enumName: string;
  /** evt.type, e.g. `open`. */
  name: string;
  dir: '>' | '<';
  category: string;
  flags: number;
  params: ParamInfo[];
  /** Parameter index by name. */
  index: Map<string, number>;
  /** True when parameter lengths are 32-bit (EF_LARGE_PAYLOAD). */
  large: boolean;
  /** True for EF_UNUSED rows, which never appear in valid captures. */
  unused: boolean;
}

/** Every event type, indexed by id. */
export const EVENTS: readonly EventInfo[] = RAW_EVENTS.map((r, id) => {
  const params = r[5].map(([name, type, fmt]) => ({ name, type, fmt }));
  return {
    id,
    enumName: r[0],
    name: r[1],
    dir: r[2],
    category: r[3],
    flags: r[4],
    params,
    index: new Map(params.map((p, i) => [p.name, i])),
    large: (r[4] & EF.LARGE_PAYLOAD) !== 0,
    unused: (r[4] & EF.UNUSED) !== 0,
  };
});

/** Every evt.type name that a syscall rule may name (used by validateValue of evt.type). */
export const EVENT_TYPE_NAMES: ReadonlySet<string> = new Set(
  EVENTS.filter((e) => !e.unused && e.name !== 'NA').map((e) => e.name),
);

/** Event ids by evt.type name (both directions, every version). */
export const EVENT_IDS_BY_NAME: ReadonlyMap<string, number[]> = (() => {
  const m = new Map<string, number[]>();
  for (const e of EVENTS) {
    if (e.unused) continue;
    const l = m.get(e.name);
    if (l) l.push(e.id);
    else m.set(e.name, [e.id]);
  }
  return m;
})();

/** The type id of a PT_* name without prefix, e.g. `ptOf('CHARBUF')`. */
export function ptOf(name: keyof typeof PT): number {
  return PT[name];
}
