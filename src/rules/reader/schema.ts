/**
 * Falco's rules-file JSON schema (draft-06, `falco --print-rule-schema`) as a small checker.
 * Like Falco, a schema failure is only a status (validation ok/failed), never a load error.
 * @module
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { NodeContext } from './yaml-nodes.ts';

type Check = (ctx: NodeContext, node: unknown) => boolean;

function jsType(ctx: NodeContext, node: unknown): string {
  const n = ctx.deref(node);
  if (n === null || n === undefined) return 'null';
  if (isSeq(n)) return 'array';
  if (isMap(n)) return 'object';
  if (isScalar(n)) {
    const v = n.value;
    if (v === null) return 'null';
    if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
    return typeof v;
  }
  return 'other';
}

const str: Check = (c, n) => jsType(c, n) === 'string';
const bool: Check = (c, n) => jsType(c, n) === 'boolean';
const int: Check = (c, n) => jsType(c, n) === 'integer';
const any: Check = () => true;
const arrayOf =
  (item: Check): Check =>
  (c, n) => {
    const v = c.deref(n);
    return isSeq(v) && v.items.every((i) => item(c, i));
  };
const enumOf =
  (values: string[]): Check =>
  (c, n) => {
    const v = c.deref(n);
    return isScalar(v) && typeof v.value === 'string' && values.includes(v.value);
  };
const object =
  (props: Record<string, Check>, required: string[] = [], minProps = 0): Check =>
  (c, n) => {
    const v = c.deref(n);
    if (!isMap(v)) return false;
    const seen = new Set<string>();
    for (const pair of v.items) {
      const k = c.deref(pair.key);
      const key = isScalar(k) ? String(k.value) : '';
      const check = props[key];
      if (!check || !check(c, pair.value)) return false;
      seen.add(key);
    }
    return seen.size >= minProps && required.every((r) => seen.has(r));
  };

const overridden = enumOf(['append', 'replace']);
const OVERRIDE_KEYS = [
  'items',
  'desc',
  'condition',
  'output',
  'priority',
  'enabled',
  'exceptions',
  'capture',
  'capture_duration',
  'tags',
  'warn_evttypes',
  'skip-if-unknown-filter',
];
const pluginVersion = object(
  {
    name: str,
    version: str,
    alternatives: arrayOf(object({ name: str, version: str }, ['name', 'version'])),
  },
  ['name', 'version'],
);
const falcoRule = object({
  required_engine_version: str,
  required_plugin_versions: arrayOf(pluginVersion),
  macro: str,
  condition: str,
  list: str,
  items: arrayOf((c, n) => str(c, n) || int(c, n)),
  rule: str,
  desc: str,
  enabled: bool,
  output: str,
  append: bool,
  priority: enumOf([
    'EMERGENCY',
    'ALERT',
    'CRITICAL',
    'ERROR',
    'WARNING',
    'NOTICE',
    'INFO',
    'INFORMATIONAL',
    'DEBUG',
  ]),
  capture: bool,
  capture_duration: int,
  source: str,
  exceptions: arrayOf(object({ name: str, fields: any, comps: any, values: any }, ['name'])),
  override: object(Object.fromEntries(OVERRIDE_KEYS.map((k) => [k, overridden])), [], 1),
  tags: arrayOf(str),
  warn_evttypes: bool,
  'skip-if-unknown-filter': bool,
});

/** True when one YAML document's contents satisfy Falco's rules schema (null documents pass). */
export function schemaValid(ctx: NodeContext, contents: unknown): boolean {
  if (jsType(ctx, contents) === 'null') return true;
  try {
    return arrayOf(falcoRule)(ctx, contents);
  } catch {
    return false; // alias budget exhausted: the load reports it
  }
}
