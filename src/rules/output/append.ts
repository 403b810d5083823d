/**
 * Falco's `append_output` (falco.yaml, Falco >= 0.39; default `[{suggested_output: true}]` since
 * the container plugin of 0.41): text and fields added to rule outputs, per source, tag set or
 * rule. Validation of the configuration value here; the loader applies the entries per rule.
 * @module
 */
import { error, warning, type Diagnostic } from '../../core/index.ts';
import type { FieldTable } from '../fields.ts';

/** One extra field of `output_fields`: a named format (text value) or a field (typed value). */
export interface ExtraField {
  key: string;
  /** The format to evaluate: the entry's text, or `%key` for a field given by name. */
  format: string;
  /** True for a field given by name: its typed JSON value, not the rendered text. */
  raw: boolean;
}

/** One validated append_output entry. */
export interface AppendOutputEntry {
  /** Match conditions; empty ones match everything (all given must hold). */
  source?: string;
  tags: string[];
  rule?: string;
  /** `extra_output`: text appended (after a space) to the rule's output. */
  extraOutput?: string;
  /** `suggested_output`: append ` a_b=%a.b` for every suggested field of the rule's source. */
  suggestedOutput: boolean;
  /** `extra_fields`, in order; later keys replace earlier ones. */
  extraFields: ExtraField[];
  /** Where the entry was in the configuration, for diagnostics. */
  jsonPath: string;
}

/** The validated value and what was wrong with it. */
export interface ParsedAppendOutput {
  entries: AppendOutputEntry[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

// Falco's keys, and the shorter names Vigil also accepts for them.
const KEY_ALIASES: Record<string, string> = { format: 'extra_output', fields: 'extra_fields' };
const ENTRY_KEYS = new Set(['match', 'extra_output', 'extra_fields', 'suggested_output', ...Object.keys(KEY_ALIASES)]);
const MATCH_KEYS = new Set(['source', 'tags', 'rule']);

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;
// Falco reads scalars with yaml-cpp's as<string>(): numbers and booleans are accepted as text
const scalarText = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/**
 * Validates an `append_output` value as written in falco.yaml / vigil.yaml (undefined or null
 * means no entries). Problems are CONFIG_* diagnostics with the JSON path of the bad part; a
 * bad entry is left out, the others are kept.
 */
export function parseAppendOutput(value: unknown, path = '$.append_output'): ParsedAppendOutput {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const entries: AppendOutputEntry[] = [];
  if (value === undefined || value === null) return { entries, errors, warnings };
  const bad = (p: string, msg: string, code = 'CONFIG_INVALID_TYPE') => {
    errors.push(error(code, msg, { jsonPath: p }));
  };
  if (!Array.isArray(value)) {
    bad(path, `expected a list of entries, got ${describe(value)}`);
    return { entries, errors, warnings };
  }
  value.forEach((raw, i) => {
    const at = `${path}[${i}]`;
    const before = errors.length;
    if (!isMap(raw)) return bad(at, `expected a mapping, got ${describe(raw)}`);
    for (const k of Object.keys(raw)) {
      if (!ENTRY_KEYS.has(k)) warnings.push(warning('CONFIG_UNKNOWN_KEY', 'unknown key (ignored)', { jsonPath: `${at}.${k}` }));
    }
    const pick = (key: string): [unknown, string] => {
      const alias = Object.keys(KEY_ALIASES).find((a) => KEY_ALIASES[a] === key)!;
      if (raw[key] !== undefined && raw[alias] !== undefined) bad(`${at}.${alias}`, `${alias} and ${key} are the same key; give one`, 'CONFIG_INVALID_VALUE');
      return raw[key] !== undefined ? [raw[key], `${at}.${key}`] : [raw[alias], `${at}.${alias}`];
    };
    const entry: AppendOutputEntry = { tags: [], suggestedOutput: false, extraFields: [], jsonPath: at };
    const match = raw.match;
    if (match !== undefined && match !== null) {
      if (!isMap(match)) bad(`${at}.match`, `expected a mapping, got ${describe(match)}`);
      else {
        for (const k of Object.keys(match)) {
          if (!MATCH_KEYS.has(k)) warnings.push(warning('CONFIG_UNKNOWN_KEY', 'unknown key (ignored)', { jsonPath: `${at}.match.${k}` }));
        }
        for (const k of ['source', 'rule'] as const) {
          if (match[k] === undefined || match[k] === null) continue;
          const s = scalarText(match[k]);
          if (s === undefined) bad(`${at}.match.${k}`, `expected a string, got ${describe(match[k])}`);
          else if (s !== '') entry[k] = s;
        }
        if (match.tags !== undefined && match.tags !== null) {
          if (!Array.isArray(match.tags)) bad(`${at}.match.tags`, `expected a list of tags, got ${describe(match.tags)}`);
          else
            match.tags.forEach((t, j) => {
              const s = scalarText(t);
              if (s === undefined) bad(`${at}.match.tags[${j}]`, `expected a string, got ${describe(t)}`);
              else if (!entry.tags.includes(s)) entry.tags.push(s);
            });
        }
      }
    }
    const [out, outPath] = pick('extra_output');
    if (out !== undefined && out !== null) {
      const s = scalarText(out);
      if (s === undefined) bad(outPath, `expected a string, got ${describe(out)}`);
      else if (s !== '') entry.extraOutput = s;
    }
    const [fields, fieldsPath] = pick('extra_fields');
    if (fields !== undefined && fields !== null) parseExtraFields(fields, fieldsPath, entry, bad);
    const sugg = raw.suggested_output;
    if (sugg !== undefined && sugg !== null) {
      if (typeof sugg !== 'boolean') bad(`${at}.suggested_output`, `expected true or false, got ${describe(sugg)}`);
      else entry.suggestedOutput = sugg;
    }
    if (errors.length === before) entries.push(entry);
  });
  return { entries, errors, warnings };
}

function parseExtraFields(v: unknown, at: string, entry: AppendOutputEntry, bad: (p: string, msg: string, code?: string) => void): void {
  if (!Array.isArray(v)) return bad(at, `expected a list of fields, got ${describe(v)}`);
  v.forEach((f, j) => {
    const p = `${at}[${j}]`;
    let field: ExtraField;
    if (isMap(f)) {
      const keys = Object.keys(f);
      if (keys.length !== 1) return bad(p, `expected one name: format pair, got ${keys.length} keys`, 'CONFIG_INVALID_VALUE');
      const format = scalarText(f[keys[0]!]);
      if (format === undefined) return bad(`${p}.${keys[0]}`, `expected a format string, got ${describe(f[keys[0]!])}`);
      field = { key: keys[0]!, format, raw: false };
    } else {
      const name = scalarText(f);
      if (name === undefined || name === '') return bad(p, `expected a field name or a name: format pair, got ${describe(f)}`);
      field = { key: name, format: `%${name}`, raw: true };
    }
    // Falco refuses an entry that names the same key twice
    if (entry.extraFields.some((x) => x.key === field.key)) return bad(p, `extra field ${JSON.stringify(field.key)} is given twice`, 'CONFIG_INVALID_VALUE');
    entry.extraFields.push(field);
  });
}

/** Whether an entry applies to a rule: same source and rule name when given, and every tag. */
export function entryMatches(e: AppendOutputEntry, rule: { name: string; source: string; tags: readonly string[] }): boolean {
  if (e.source !== undefined && e.source !== rule.source) return false;
  if (e.rule !== undefined && e.rule !== rule.name) return false;
  return e.tags.every((t) => rule.tags.includes(t));
}

/** ` a_b=%a.b` for each field the table flags as suggested output, in table order. */
export function suggestedFormat(table: FieldTable): string {
  let out = '';
  for (const f of table.fields) if (f.suggestedOutput) out += ` ${f.name.replaceAll('.', '_')}=%${f.name}`;
  return out;
}

/** What the entries add to one rule: text for its output and extra output fields by key. */
export function appendFor(
  entries: readonly AppendOutputEntry[],
  rule: { name: string; source: string; tags: readonly string[] },
  table: FieldTable,
): { text: string; fields: ExtraField[] } {
  let text = '';
  const fields = new Map<string, ExtraField>();
  for (const e of entries) {
    if (!entryMatches(e, rule)) continue;
    if (e.extraOutput !== undefined) text += ` ${e.extraOutput}`;
    if (e.suggestedOutput) text += suggestedFormat(table);
    for (const f of e.extraFields) fields.set(f.key, f);
  }
  return { text, fields: [...fields.values()] };
}
