/**
 * Loads vigil.yaml: YAML with positions, then Falco-style `-o key=value` overrides, then
 * validation against `SCHEMA`. Errors name the key path and the reason (and file:line:col
 * when the value came from the file); unknown keys are warnings, as Falco ignores them.
 * @module
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parse as parseYamlValue, parseDocument, type Document } from 'yaml';
import { error, warning, VigilError, type Diagnostic, type Position } from '../diagnostics.ts';
import { parseDuration } from './duration.ts';
import { SCHEMA, type Spec } from './schema.ts';
import type { VigilConfig } from './types.ts';

/** Where configuration comes from. */
export interface LoadOptions {
  /** Path of vigil.yaml (read when `text` is not given). */
  file?: string;
  /** YAML text (tests, stdin). */
  text?: string;
  /** `key.path=value` overrides in the order given (`-o`); `key[]=value` appends to a list. */
  overrides?: string[];
}

/** A loaded configuration and the warnings met on the way. */
export interface LoadedConfig {
  config: VigilConfig;
  warnings: Diagnostic[];
}

/** Refused configuration; `diagnostics` lists every problem, the message the first. */
export class ConfigError extends VigilError {
  constructor(readonly diagnostics: Diagnostic[]) {
    const d = diagnostics[0];
    super(d.code, `${d.jsonPath ?? ''}: ${d.message}`, d);
    this.name = 'ConfigError';
  }
}

type Path = (string | number)[];
const jsonPath = (p: Path): string => '$' + p.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('');

interface Ctx {
  errors: Diagnostic[];
  warnings: Diagnostic[];
  pos: (p: Path, atKey?: boolean) => Position;
}

function fail(c: Ctx, code: string, p: Path, msg: string): undefined {
  c.errors.push(error(code, msg, { ...c.pos(p), jsonPath: jsonPath(p) }));
  return undefined;
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;
}

function check(spec: Spec, v: unknown, p: Path, c: Ctx): unknown {
  const missing = v === undefined || v === null;
  switch (spec.t) {
    case 'bool':
      if (missing) return spec.d;
      return typeof v === 'boolean' ? v : fail(c, 'CONFIG_INVALID_TYPE', p, `expected true or false, got ${describe(v)}`);
    case 'int':
      if (missing) return spec.d;
      if (typeof v !== 'number' || !Number.isInteger(v)) return fail(c, 'CONFIG_INVALID_TYPE', p, `expected an integer, got ${describe(v)}`);
      if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max)) {
        return fail(c, 'CONFIG_OUT_OF_RANGE', p, `must be between ${spec.min} and ${spec.max}, got ${v}`);
      }
      return v;
    case 'num':
      if (missing) return spec.d;
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail(c, 'CONFIG_INVALID_TYPE', p, `expected a number, got ${describe(v)}`);
      if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max)) {
        return fail(c, 'CONFIG_OUT_OF_RANGE', p, `must be between ${spec.min} and ${spec.max ?? 'any'}, got ${v}`);
      }
      return v;
    case 'str':
      if (missing) return spec.d;
      if (typeof v === 'number') return String(v);
      return typeof v === 'string' ? v : fail(c, 'CONFIG_INVALID_TYPE', p, `expected a string, got ${describe(v)}`);
    case 'enum': {
      if (missing) return spec.d;
      const s = typeof v === 'string' ? (spec.lower ? v.toLowerCase() : v) : undefined;
      if (s !== undefined && spec.of.includes(s)) return s;
      return fail(c, 'CONFIG_INVALID_VALUE', p, `expected one of ${spec.of.join(', ')}, got ${describe(v)}`);
    }
    case 'duration': {
      const raw = missing ? spec.d : v;
      if (raw === undefined) return undefined;
      const ms = typeof raw === 'string' || typeof raw === 'number' ? parseDuration(raw) : undefined;
      return ms ?? fail(c, 'CONFIG_INVALID_VALUE', p, `expected a duration like 90s, 5m, 1h or 30d, got ${describe(raw)}`);
    }
    case 'list':
      if (missing) return [...spec.d];
      if (!Array.isArray(v)) return fail(c, 'CONFIG_INVALID_TYPE', p, `expected a list of strings, got ${describe(v)}`);
      return v.map((x, i) => {
        if (typeof x !== 'string') return fail(c, 'CONFIG_INVALID_TYPE', [...p, i], `expected a string, got ${describe(x)}`);
        if (spec.of && !spec.of.includes(x)) return fail(c, 'CONFIG_INVALID_VALUE', [...p, i], `expected one of ${spec.of.join(', ')}, got ${describe(x)}`);
        return x;
      });
    case 'map': {
      if (missing) return {};
      if (typeof v !== 'object' || Array.isArray(v)) return fail(c, 'CONFIG_INVALID_TYPE', p, `expected a mapping of strings, got ${describe(v)}`);
      const out: Record<string, string> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
        else fail(c, 'CONFIG_INVALID_TYPE', [...p, k], `expected a string, got ${describe(x)}`);
      }
      return out;
    }
    case 'entries': {
      if (missing) return structuredClone(spec.d);
      if (!Array.isArray(v)) return fail(c, 'CONFIG_INVALID_TYPE', p, `expected a list, got ${describe(v)}`);
      v.forEach((x, i) => {
        if (typeof x !== 'object' || x === null || Array.isArray(x)) fail(c, 'CONFIG_INVALID_TYPE', [...p, i], `expected a mapping, got ${describe(x)}`);
      });
      return v;
    }
    case 'obj': {
      if (!missing && (typeof v !== 'object' || Array.isArray(v))) return fail(c, 'CONFIG_INVALID_TYPE', p, `expected a mapping, got ${describe(v)}`);
      const src = (missing ? {} : v) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(spec.f)) out[k] = check(s, src[k], [...p, k], c);
      for (const k of Object.keys(src)) {
        if (!(k in spec.f)) c.warnings.push(warning('CONFIG_UNKNOWN_KEY', 'unknown key (ignored)', { ...c.pos([...p, k], true), jsonPath: jsonPath([...p, k]) }));
      }
      return out;
    }
  }
}

/** Splits `a.b[]` / `a.b` / `a[2].c` into path parts; `append` when it ends in `[]`. */
function overridePath(key: string): { path: Path; append: boolean } | undefined {
  const append = key.endsWith('[]');
  const body = append ? key.slice(0, -2) : key;
  const path: Path = [];
  for (const part of body.split('.')) {
    const m = /^([A-Za-z0-9_-]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    path.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) path.push(Number(idx[1]));
  }
  return { path, append };
}

function applyOverride(root: Record<string, unknown>, o: string, errors: Diagnostic[], overridden: Set<string>): void {
  const eq = o.indexOf('=');
  const parsed = eq > 0 ? overridePath(o.slice(0, eq)) : undefined;
  if (!parsed) {
    errors.push(error('CONFIG_BAD_OVERRIDE', `expected key.path=value, got ${JSON.stringify(o)}`, { file: '-o' }));
    return;
  }
  const text = o.slice(eq + 1);
  let value: unknown;
  try {
    value = parseYamlValue(text); // Falco reads the value as YAML: true, 5, [a, b] keep their types
  } catch {
    value = text;
  }
  const { path, append } = parsed;
  let node: Record<string | number, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i];
    if (typeof node[k] !== 'object' || node[k] === null) node[k] = typeof path[i + 1] === 'number' ? [] : {};
    node = node[k] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  if (append) {
    const cur = node[last];
    node[last] = Array.isArray(cur) ? [...cur, value] : [value];
  } else node[last] = value;
  overridden.add(jsonPath(path));
}

function positionFinder(doc: Document | undefined, lc: LineCounter, file: string | undefined, overridden: Set<string>) {
  return (p: Path, atKey = false): Position => {
    for (let i = p.length; i > 0; i--) {
      if (overridden.has(jsonPath(p.slice(0, i)))) return { file: '-o' };
    }
    let node = doc?.getIn(p, true) as { range?: [number, number, number] } | undefined;
    if (atKey && doc && p.length) {
      // point at the key itself, not at its (possibly multi-line) value
      const parent = (p.length > 1 ? doc.getIn(p.slice(0, -1), true) : doc.contents) as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | null;
      const pair = parent?.items?.find((it) => it.key?.value === p[p.length - 1]);
      if (pair?.key?.range) node = pair.key;
    }
    if (!node?.range) return file ? { file } : {};
    const lp = lc.linePos(node.range[0]);
    return { ...(file ? { file } : {}), line: lp.line, column: lp.col };
  };
}

/** Loads, overrides and validates; throws `ConfigError` listing every problem. */
export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  let text = opts.text;
  if (text === undefined && opts.file !== undefined) {
    try {
      text = readFileSync(opts.file, 'utf8');
    } catch (e) {
      throw new ConfigError([error('CONFIG_UNREADABLE', `cannot read config: ${(e as Error).message}`, { file: opts.file })]);
    }
  }
  const lc = new LineCounter();
  const doc = text !== undefined ? parseDocument(text, { lineCounter: lc, prettyErrors: false }) : undefined;
  if (doc?.errors.length) {
    throw new ConfigError(doc.errors.map((e) => {
      const lp = lc.linePos(e.pos[0]);
      return error('CONFIG_YAML_ERROR', e.message.split('\n')[0], { file: opts.file, line: lp.line, column: lp.col });
    }));
  }
  const raw = doc?.toJS() ?? {};
  const errors: Diagnostic[] = [];
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError([error('CONFIG_INVALID_TYPE', 'the configuration must be a mapping', { file: opts.file, jsonPath: '$' })]);
  }
  const overridden = new Set<string>();
  for (const o of opts.overrides ?? []) applyOverride(raw as Record<string, unknown>, o, errors, overridden);
  const ctx: Ctx = { errors, warnings: [], pos: positionFinder(doc, lc, opts.file, overridden) };
  const config = check(SCHEMA, raw, [], ctx) as VigilConfig;
  crossChecks(config, ctx);
  if (errors.length) throw new ConfigError(errors);
  return { config, warnings: ctx.warnings };
}

// rules that involve more than one key
function crossChecks(cfg: VigilConfig, c: Ctx): void {
  if (cfg.http_output?.enabled) {
    const u = cfg.http_output.url;
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(u).protocol);
    } catch { /* reported below */ }
    if (!ok) fail(c, 'CONFIG_INVALID_VALUE', ['http_output', 'url'], `http_output is enabled but url ${JSON.stringify(u)} is not an http(s) URL`);
  }
  if (cfg.program_output?.enabled && !cfg.program_output.program?.trim()) {
    fail(c, 'CONFIG_INVALID_VALUE', ['program_output', 'program'], 'program_output is enabled but program is empty');
  }
  if (cfg.file_output?.enabled && !cfg.file_output.filename?.trim()) {
    fail(c, 'CONFIG_INVALID_VALUE', ['file_output', 'filename'], 'file_output is enabled but filename is empty');
  }
  if (cfg.outbox && cfg.outbox.retry_max_ms < cfg.outbox.retry_base_ms) {
    fail(c, 'CONFIG_OUT_OF_RANGE', ['outbox', 'retry_max_ms'], 'must be at least outbox.retry_base_ms');
  }
}
