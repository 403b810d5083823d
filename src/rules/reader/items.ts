/**
 * Decodes one top-level item of a rules file into a typed ReadItem. The item kind is chosen
 * by the first present key in Falco's order: required_engine_version,
 * required_plugin_versions, list, macro, rule.
 * @module
 */
import { warning, type Diagnostic } from '../../core/index.ts';
import { decodeBool, decodeScalarSeq, decodeString, decodeUint } from './decode.ts';
import { readExceptions } from './exceptions.ts';
import { RULE_APPENDABLE, RULE_REPLACEABLE, decodeOverrides } from './overrides.ts';
import { parsePriority } from './priority.ts';
import {
  YAML_VALIDATE,
  mapView,
  nodeKind,
  seqItems,
  type MapView,
  type NodeContext,
} from './yaml-nodes.ts';
import type { Pos, ReadItem, RuleAppendItem, RuleReplaceItem } from './types.ts';
import { isValidSemver } from './semver.ts';

const WARNING_APPEND =
  "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";
const WARNING_ENABLED =
  "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').";
/** Falco's text for `override` combined with `append: true`. */
export const ERROR_OVERRIDE_APPEND =
  "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";

const RGX_IDENTIFIER = '([a-zA-Z]+[a-zA-Z0-9_]*)';
const RGX_BARESTR = '([^()"\'[:space:]=,]+)';
const IDENTIFIER_RE = /^[a-zA-Z]+[a-zA-Z0-9_]*$/;
const BARESTR_RE = /^[^()"'\s=,]+$/;

const LIST_KEYS = new Set(['list', 'items', 'append', 'override']);
const MACRO_KEYS = new Set(['macro', 'condition', 'append', 'override']);
const RULE_KEYS = new Set([
  'rule',
  'condition',
  'output',
  'desc',
  'priority',
  'source',
  'enabled',
  'capture',
  'capture_duration',
  'warn_evttypes',
  'skip-if-unknown-filter',
  'tags',
  'exceptions',
  'override',
  'append',
]);

function warnUnknownKeys(
  m: MapView,
  expected: Set<string>,
  pos: Pos,
  out: Diagnostic[],
  name?: string,
): void {
  for (const k of m.keys) {
    if (!expected.has(k))
      out.push(
        warning('LOAD_UNKNOWN_KEY', `Unknown key '${k}'. The key will be ignored.`, pos, name),
      );
  }
}

/** Decodes one item; returns the typed items (several for plugin requirements, none when ignored). */
export function readItem(ctx: NodeContext, node: unknown, warnings: Diagnostic[]): ReadItem[] {
  const pos = ctx.pos(node);
  const m = mapView(ctx, node);
  if (!m)
    throw ctx.fail(
      YAML_VALIDATE,
      'Unexpected element type. Each element should be a yaml associative array.',
      node,
      pos,
    );
  if (m.has('required_engine_version')) {
    const out = readEngineVersion(ctx, m, pos);
    warnUnknownKeys(m, new Set(['required_engine_version']), pos, warnings);
    return [out];
  }
  if (m.has('required_plugin_versions')) {
    const out = readPluginVersions(ctx, m, pos);
    warnUnknownKeys(m, new Set(['required_plugin_versions']), pos, warnings);
    return out;
  }
  if (m.has('list')) return [readList(ctx, m, pos, warnings)];
  if (m.has('macro')) return [readMacro(ctx, m, pos, warnings)];
  if (m.has('rule')) return readRule(ctx, m, pos, warnings);
  warnings.push(warning('LOAD_UNKNOWN_ITEM', 'Unknown top level item', pos));
  return [];
}

function readEngineVersion(ctx: NodeContext, m: MapView, pos: Pos): ReadItem {
  const text = decodeString(ctx, m, 'required_engine_version', pos) as string;
  let version: string;
  if (/^\+?[0-9]+$/.test(text) && Number(text) <= 0xffffffff) version = `0.${Number(text)}.0`;
  else if (isValidSemver(text)) version = text;
  else
    throw ctx.fail(
      YAML_VALIDATE,
      `Unable to parse engine version '${text}' as a semver string. Expected "x.y.z" semver format.`,
      m.node,
      pos,
    );
  return { kind: 'engine-version', version, pos };
}

function readPluginVersions(ctx: NodeContext, m: MapView, pos: Pos): ReadItem[] {
  const seq = m.get('required_plugin_versions')!.value;
  if (nodeKind(ctx, seq) !== 'seq')
    throw ctx.fail(YAML_VALIDATE, 'Value of required_plugin_versions must be a sequence', seq, pos);
  const out: ReadItem[] = [];
  for (const p of seqItems(ctx, seq)) {
    const ppos = ctx.pos(p, pos);
    const pm = mapView(ctx, p);
    if (!pm) throw ctx.fail(YAML_VALIDATE, 'Plugin version must be a mapping', p, ppos);
    const name = decodeString(ctx, pm, 'name', ppos) as string;
    const alternatives = [{ name, version: decodeString(ctx, pm, 'version', ppos) as string }];
    const alts = pm.get('alternatives');
    if (alts) {
      if (nodeKind(ctx, alts.value) !== 'seq')
        throw ctx.fail(
          YAML_VALIDATE,
          'Value of plugin version alternatives must be a sequence',
          alts.value,
          ppos,
          name,
        );
      for (const a of seqItems(ctx, alts.value)) {
        const apos = ctx.pos(a, ppos);
        const am = mapView(ctx, a);
        if (!am)
          throw ctx.fail(
            YAML_VALIDATE,
            'Plugin version alternative must be a mapping',
            a,
            apos,
            name,
          );
        const an = decodeString(ctx, am, 'name', apos) as string;
        alternatives.push({ name: an, version: decodeString(ctx, am, 'version', apos) as string });
      }
    }
    out.push({ kind: 'plugin-versions', alternatives, pos: ppos });
  }
  return out;
}

function readList(ctx: NodeContext, m: MapView, pos: Pos, warnings: Diagnostic[]): ReadItem {
  const name = decodeString(ctx, m, 'list', pos) as string;
  if (!BARESTR_RE.test(name)) {
    warnings.push(
      warning(
        'LOAD_INVALID_LIST_NAME',
        `List has an invalid name. List names should match a regular expression: ${RGX_BARESTR}`,
        pos,
        name,
      ),
    );
  }
  const items = decodeScalarSeq(ctx, m, 'items', pos, false) as string[];
  let append = decodeBool(ctx, m, 'append', pos, { optional: true }) ?? false;
  if (append) warnings.push(warning('LOAD_DEPRECATED_ITEM', WARNING_APPEND, pos, name));
  const only = new Set(['items']);
  const ov = decodeOverrides(ctx, m, only, only, pos, name);
  if (append && (ov.append.size || ov.replace.size))
    throw ctx.fail(YAML_VALIDATE, ERROR_OVERRIDE_APPEND, m.node, pos, name);
  append ||= ov.append.has('items');
  warnUnknownKeys(m, LIST_KEYS, pos, warnings, name);
  return { kind: 'list', name, items, append, pos };
}

function readMacro(ctx: NodeContext, m: MapView, pos: Pos, warnings: Diagnostic[]): ReadItem {
  const name = decodeString(ctx, m, 'macro', pos) as string;
  if (!IDENTIFIER_RE.test(name)) {
    warnings.push(
      warning(
        'LOAD_INVALID_MACRO_NAME',
        `Macro has an invalid name. Macro names should match a regular expression: ${RGX_IDENTIFIER}`,
        pos,
        name,
      ),
    );
  }
  const condition = decodeString(ctx, m, 'condition', pos) as string;
  const condPos = ctx.valuePos(m.get('condition')!.value, pos);
  let append = decodeBool(ctx, m, 'append', pos, { optional: true }) ?? false;
  if (append) warnings.push(warning('LOAD_DEPRECATED_ITEM', WARNING_APPEND, pos, name));
  const only = new Set(['condition']);
  const ov = decodeOverrides(ctx, m, only, only, pos, name);
  if (append && (ov.append.size || ov.replace.size))
    throw ctx.fail(YAML_VALIDATE, ERROR_OVERRIDE_APPEND, m.node, pos, name);
  append ||= ov.append.has('condition');
  warnUnknownKeys(m, MACRO_KEYS, pos, warnings, name);
  return { kind: 'macro', name, condition, append, pos, condPos };
}

function readPriority(ctx: NodeContext, m: MapView, pos: Pos, name: string) {
  const text = decodeString(ctx, m, 'priority', pos) as string;
  const p = parsePriority(text);
  if (!p) throw ctx.fail(YAML_VALIDATE, 'Invalid priority', m.get('priority')!.value, pos, name);
  return p;
}

function readTags(ctx: NodeContext, m: MapView, pos: Pos): string[] | undefined {
  const tags = decodeScalarSeq(ctx, m, 'tags', pos, true);
  return tags && [...new Set(tags)].sort();
}

function readRule(ctx: NodeContext, m: MapView, pos: Pos, warnings: Diagnostic[]): ReadItem[] {
  const name = decodeString(ctx, m, 'rule', pos) as string;
  const source = decodeString(ctx, m, 'source', pos, { optional: true, canBeEmpty: true });
  const hasAppendFlag = decodeBool(ctx, m, 'append', pos, { optional: true }) ?? false;
  if (hasAppendFlag) warnings.push(warning('LOAD_DEPRECATED_ITEM', WARNING_APPEND, pos, name));
  const ov = decodeOverrides(ctx, m, RULE_APPENDABLE, RULE_REPLACEABLE, pos, name);
  const hasOverrides = ov.append.size > 0 || ov.replace.size > 0;
  if (hasAppendFlag && hasOverrides)
    throw ctx.fail(YAML_VALIDATE, ERROR_OVERRIDE_APPEND, m.node, pos, name);
  const out: ReadItem[] = [];
  if (hasOverrides) {
    // every overridable key present must be listed under override, and vice versa
    const expected = new Set([...RULE_APPENDABLE, ...RULE_REPLACEABLE].filter((k) => m.has(k)));
    const take = (set: Set<string>, type: string, key: string): boolean => {
      if (!set.has(key)) return false;
      if (!expected.has(key)) {
        throw ctx.fail(
          YAML_VALIDATE,
          `An ${type} override for '${key}' was specified but '${key}' is not defined`,
          m.node,
          pos,
          name,
        );
      }
      expected.delete(key);
      return true;
    };
    if (ov.append.size) {
      const v: RuleAppendItem = { kind: 'rule-append', name, source, pos };
      if (take(ov.append, 'append', 'condition')) {
        v.condition = decodeString(ctx, m, 'condition', pos);
        v.condPos = ctx.valuePos(m.get('condition')!.value, pos);
      }
      if (take(ov.append, 'append', 'exceptions'))
        v.exceptions = readExceptions(ctx, m, pos, true, warnings, name);
      if (take(ov.append, 'append', 'output')) v.output = decodeString(ctx, m, 'output', pos);
      if (take(ov.append, 'append', 'desc')) v.desc = decodeString(ctx, m, 'desc', pos);
      if (take(ov.append, 'append', 'tags')) v.tags = readTags(ctx, m, pos);
      out.push(v);
    }
    if (ov.replace.size) {
      const v: RuleReplaceItem = { kind: 'rule-replace', name, source, pos };
      if (take(ov.replace, 'replace', 'condition'))
        v.condition = decodeString(ctx, m, 'condition', pos);
      if (take(ov.replace, 'replace', 'exceptions'))
        v.exceptions = readExceptions(ctx, m, pos, true, warnings, name);
      if (take(ov.replace, 'replace', 'output')) v.output = decodeString(ctx, m, 'output', pos);
      if (take(ov.replace, 'replace', 'desc')) v.desc = decodeString(ctx, m, 'desc', pos);
      if (take(ov.replace, 'replace', 'tags')) v.tags = readTags(ctx, m, pos);
      if (take(ov.replace, 'replace', 'priority')) v.priority = readPriority(ctx, m, pos, name);
      if (take(ov.replace, 'replace', 'capture')) v.capture = decodeBool(ctx, m, 'capture', pos);
      if (take(ov.replace, 'replace', 'capture_duration'))
        v.captureDuration = decodeUint(ctx, m, 'capture_duration', pos);
      if (take(ov.replace, 'replace', 'enabled')) v.enabled = decodeBool(ctx, m, 'enabled', pos);
      if (take(ov.replace, 'replace', 'warn_evttypes'))
        v.warnEvttypes = decodeBool(ctx, m, 'warn_evttypes', pos);
      if (take(ov.replace, 'replace', 'skip-if-unknown-filter'))
        v.skipIfUnknownFilter = decodeBool(ctx, m, 'skip-if-unknown-filter', pos);
      out.push(v);
    }
    for (const key of expected) {
      throw ctx.fail(
        YAML_VALIDATE,
        `Unexpected key '${key}': no corresponding entry under 'override' is defined.`,
        m.get(key)!.key,
        pos,
        name,
      );
    }
  } else if (hasAppendFlag) {
    const v: RuleAppendItem = { kind: 'rule-append', name, source, pos };
    if (m.has('condition')) {
      v.condition = decodeString(ctx, m, 'condition', pos);
      v.condPos = ctx.valuePos(m.get('condition')!.value, pos);
    }
    if (m.has('exceptions')) v.exceptions = readExceptions(ctx, m, pos, true, warnings, name);
    out.push(v);
  } else if (!m.has('condition') && !m.has('output') && !m.has('desc') && !m.has('priority')) {
    const enabled = decodeBool(ctx, m, 'enabled', pos) as boolean;
    warnings.push(warning('LOAD_DEPRECATED_ITEM', WARNING_ENABLED, pos, name));
    out.push({ kind: 'rule-enable', name, enabled, pos });
  } else {
    const condition = decodeString(ctx, m, 'condition', pos) as string;
    const condPos = ctx.valuePos(m.get('condition')!.value, pos);
    const output = (decodeString(ctx, m, 'output', pos) as string).trim();
    const outputPos = ctx.valuePos(m.get('output')!.value, pos);
    const desc = decodeString(ctx, m, 'desc', pos) as string;
    const priority = readPriority(ctx, m, pos, name);
    out.push({
      kind: 'rule',
      name,
      condition,
      output,
      desc,
      priority,
      source: decodeString(ctx, m, 'source', pos, { optional: true }) ?? source,
      enabled: decodeBool(ctx, m, 'enabled', pos, { optional: true }) ?? true,
      capture: decodeBool(ctx, m, 'capture', pos, { optional: true }) ?? false,
      captureDuration: decodeUint(ctx, m, 'capture_duration', pos, { optional: true }) ?? 0,
      warnEvttypes: decodeBool(ctx, m, 'warn_evttypes', pos, { optional: true }) ?? true,
      skipIfUnknownFilter:
        decodeBool(ctx, m, 'skip-if-unknown-filter', pos, { optional: true }) ?? false,
      tags: readTags(ctx, m, pos) ?? [],
      exceptions: readExceptions(ctx, m, pos, false, warnings, name),
      pos,
      condPos,
      outputPos,
    });
  }
  warnUnknownKeys(m, RULE_KEYS, pos, warnings, name);
  return out;
}
