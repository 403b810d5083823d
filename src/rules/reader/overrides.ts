/**
 * The `override:` block: which keys may be appended to or replaced, with Falco's texts.
 * @module
 */
import { isScalar } from 'yaml';
import {
  YAML_VALIDATE,
  mapView,
  nodeKind,
  scalarText,
  type MapView,
  type NodeContext,
} from './yaml-nodes.ts';
import type { Pos } from './types.ts';

/** Keys of a rule that `override: {key: append}` accepts. */
export const RULE_APPENDABLE = new Set(['condition', 'output', 'desc', 'tags', 'exceptions']);
/** Keys of a rule that `override: {key: replace}` accepts. */
export const RULE_REPLACEABLE = new Set([
  'condition',
  'output',
  'desc',
  'priority',
  'capture',
  'capture_duration',
  'tags',
  'exceptions',
  'enabled',
  'warn_evttypes',
  'skip-if-unknown-filter',
]);

/** The keys to append and to replace, in the order written. */
export interface Overrides {
  append: Set<string>;
  replace: Set<string>;
  /** Position of each override key, for errors that point at it. */
  keyPos: Map<string, Pos>;
}

/** Decodes `override:`; empty sets when absent. */
export function decodeOverrides(
  ctx: NodeContext,
  item: MapView,
  appendable: Set<string>,
  replaceable: Set<string>,
  itemPos: Pos,
  name: string,
): Overrides {
  const out: Overrides = { append: new Set(), replace: new Set(), keyPos: new Map() };
  const entry = item.get('override');
  if (!entry) return out;
  const m = mapView(ctx, entry.value);
  if (!m) {
    if (nodeKind(ctx, entry.value) === 'null') return out;
    throw ctx.fail(
      YAML_VALIDATE,
      "Value of 'override' must be a mapping",
      entry.value,
      itemPos,
      name,
    );
  }
  for (const key of m.keys) {
    const e = m.get(key)!;
    const v = ctx.deref(e.value);
    const op = isScalar(v) ? scalarText(v) : '';
    const kpos = ctx.pos(e.key, itemPos);
    out.keyPos.set(key, kpos);
    if (op === 'append') {
      if (!appendable.has(key))
        throw ctx.fail(
          YAML_VALIDATE,
          `Key '${key}' cannot be appended to, use 'replace' instead`,
          e.key,
          itemPos,
          name,
        );
      out.append.add(key);
    } else if (op === 'replace') {
      if (!replaceable.has(key))
        throw ctx.fail(YAML_VALIDATE, `Key '${key}' cannot be replaced`, e.key, itemPos, name);
      out.replace.add(key);
    } else {
      let allowed = '';
      if (appendable.has(key)) allowed += 'append ';
      if (replaceable.has(key)) allowed += 'replace ';
      throw ctx.fail(
        YAML_VALIDATE,
        `Invalid override operation for key '${key}': '${op}'. Allowed values are: ${allowed}`,
        e.value,
        itemPos,
        name,
      );
    }
  }
  return out;
}
