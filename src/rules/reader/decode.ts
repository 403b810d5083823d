/**
 * Decoding of single values from a rules-file item, with Falco's error texts
 * ("Item has no mapping for key 'x'", "Value is not a scalar value", ...).
 * @module
 */
import { isScalar } from 'yaml';
import {
  YAML_VALIDATE,
  isNullNode,
  nodeKind,
  scalarText,
  seqItems,
  type MapView,
  type NodeContext,
} from './yaml-nodes.ts';
import type { Pos } from './types.ts';

/** How a value may be missing or empty. */
export interface DecodeOpts {
  optional?: boolean;
  canBeEmpty?: boolean;
}

/** Reads a scalar as a string; undefined when optional and absent (or empty and allowed). */
export function decodeString(
  ctx: NodeContext,
  m: MapView,
  key: string,
  itemPos: Pos,
  opts: DecodeOpts = {},
): string | undefined {
  const entry = m.get(key);
  if (!entry) {
    if (opts.optional) return undefined;
    throw ctx.fail(YAML_VALIDATE, `Item has no mapping for key '${key}'`, m.node, itemPos);
  }
  if (isNullNode(ctx, entry.value)) {
    if (opts.canBeEmpty) return undefined;
    throw ctx.fail(YAML_VALIDATE, `Mapping for key '${key}' is empty`, entry.key, itemPos);
  }
  const v = ctx.deref(entry.value);
  if (!isScalar(v))
    throw ctx.fail(YAML_VALIDATE, 'Value is not a scalar value', entry.value, itemPos);
  const text = scalarText(v);
  if (text === '') {
    if (opts.canBeEmpty) return undefined;
    throw ctx.fail(YAML_VALIDATE, 'Value must be non-empty', entry.value, itemPos);
  }
  return text;
}

const TRUE_WORDS = new Set([
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'true',
  'True',
  'TRUE',
  'on',
  'On',
  'ON',
]);
const FALSE_WORDS = new Set([
  'n',
  'N',
  'no',
  'No',
  'NO',
  'false',
  'False',
  'FALSE',
  'off',
  'Off',
  'OFF',
]);

/** Reads a boolean the way yaml-cpp converts scalars (true/yes/on/y and their opposites). */
export function decodeBool(
  ctx: NodeContext,
  m: MapView,
  key: string,
  itemPos: Pos,
  opts: DecodeOpts = {},
): boolean | undefined {
  const text = decodeString(ctx, m, key, itemPos, opts);
  if (text === undefined) return undefined;
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  throw ctx.fail(YAML_VALIDATE, "Can't decode YAML scalar value", m.get(key)?.value, itemPos);
}

/** Reads an unsigned 32-bit integer; undefined when optional and absent. */
export function decodeUint(
  ctx: NodeContext,
  m: MapView,
  key: string,
  itemPos: Pos,
  opts: DecodeOpts = {},
): number | undefined {
  const text = decodeString(ctx, m, key, itemPos, opts);
  if (text === undefined) return undefined;
  const n = /^\+?[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n > 0xffffffff) {
    throw ctx.fail(YAML_VALIDATE, "Can't decode YAML scalar value", m.get(key)?.value, itemPos);
  }
  return n;
}

/** Reads a sequence of scalars (`items`, `tags`); undefined when optional and absent. */
export function decodeScalarSeq(
  ctx: NodeContext,
  m: MapView,
  key: string,
  itemPos: Pos,
  optional: boolean,
): string[] | undefined {
  const entry = m.get(key);
  if (!entry) {
    if (optional) return undefined;
    throw ctx.fail(YAML_VALIDATE, `Item has no mapping for key '${key}'`, m.node, itemPos);
  }
  if (nodeKind(ctx, entry.value) !== 'seq')
    throw ctx.fail(YAML_VALIDATE, 'Value is not a sequence', entry.value, itemPos);
  const out: string[] = [];
  for (const it of seqItems(ctx, entry.value)) {
    const v = ctx.deref(it);
    if (!isScalar(v) || v.value === null)
      throw ctx.fail(YAML_VALIDATE, 'sequence value is not scalar', it, itemPos);
    out.push(scalarText(v));
  }
  return out;
}
