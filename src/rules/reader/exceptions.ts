/**
 * Reading of a rule's `exceptions:` block (name, fields, comps, values), with Falco's
 * texts and its LOAD_EXCEPTION_NAME_NOT_UNIQUE / LOAD_APPEND_NO_VALUES warnings.
 * @module
 */
import { isScalar } from 'yaml';
import { warning, type Diagnostic } from '../../core/index.ts';
import { decodeString } from './decode.ts';
import {
  YAML_VALIDATE,
  isNullNode,
  mapView,
  nodeKind,
  scalarText,
  seqItems,
  type MapView,
  type NodeContext,
} from './yaml-nodes.ts';
import type { ExceptionEntry, ExceptionInfo, Pos } from './types.ts';

function decodeEntry(ctx: NodeContext, node: unknown, pos: Pos): ExceptionEntry {
  const n = ctx.deref(node);
  if (isScalar(n) && n.value !== null) {
    const text = scalarText(n);
    if (text === '') throw ctx.fail(YAML_VALIDATE, 'Value must be non-empty', node, pos);
    return { isList: false, item: text, items: [] };
  }
  if (nodeKind(ctx, n) === 'seq') {
    return { isList: true, item: '', items: seqItems(ctx, n).map((v) => decodeEntry(ctx, v, pos)) };
  }
  // yaml-cpp leaves maps and nulls undecoded here: an entry that is neither list nor scalar
  return { isList: false, item: '', items: [] };
}

function optionalEntry(
  ctx: NodeContext,
  m: MapView,
  key: string,
  pos: Pos,
  required: boolean,
): ExceptionEntry | undefined {
  const e = m.get(key);
  if (!e) {
    if (!required) return undefined;
    throw ctx.fail(YAML_VALIDATE, `Item has no mapping for key '${key}'`, m.node, pos);
  }
  return decodeEntry(ctx, e.value, ctx.pos(e.value, pos));
}

/**
 * Reads `exceptions` of a rule item. `append` relaxes the `fields` requirement (appending
 * values to an existing exception) and warns on exceptions without values.
 */
export function readExceptions(
  ctx: NodeContext,
  item: MapView,
  rulePos: Pos,
  append: boolean,
  warnings: Diagnostic[],
  ruleName: string,
): ExceptionInfo[] {
  const entry = item.get('exceptions');
  if (!entry || isNullNode(ctx, entry.value)) return [];
  if (nodeKind(ctx, entry.value) !== 'seq')
    throw ctx.fail(
      YAML_VALIDATE,
      'Rule exceptions must be a sequence',
      entry.value,
      rulePos,
      ruleName,
    );
  const out: ExceptionInfo[] = [];
  for (const exNode of seqItems(ctx, entry.value)) {
    const pos = ctx.pos(exNode, rulePos);
    const ex = mapView(ctx, exNode);
    if (!ex)
      throw ctx.fail(YAML_VALIDATE, 'Rule exception must be a mapping', exNode, pos, ruleName);
    const name = decodeString(ctx, ex, 'name', pos) as string;
    if (out.some((o) => o.name === name)) {
      warnings.push(
        warning(
          'LOAD_EXCEPTION_NAME_NOT_UNIQUE',
          `Multiple definitions of exception '${name}' in the same rule`,
          pos,
          ruleName,
        ),
      );
    }
    const info: ExceptionInfo = {
      name,
      fields: optionalEntry(ctx, ex, 'fields', pos, !append),
      comps: optionalEntry(ctx, ex, 'comps', pos, false),
      values: [],
      pos,
    };
    const vals = ex.get('values');
    if (vals) {
      if (nodeKind(ctx, vals.value) !== 'seq')
        throw ctx.fail(
          YAML_VALIDATE,
          'Rule exception values must be a sequence',
          vals.value,
          pos,
          ruleName,
        );
      for (const v of seqItems(ctx, vals.value))
        info.values.push(decodeEntry(ctx, v, ctx.pos(v, pos)));
    } else if (append) {
      warnings.push(
        warning(
          'LOAD_APPEND_NO_VALUES',
          'Overriding/appending exception with no values',
          pos,
          ruleName,
        ),
      );
    }
    out.push(info);
  }
  return out;
}
