/**
 * Compilation of collected items: list expansion, macro parsing and resolution in
 * definition order, then each rule: exceptions, list substitution, parse, macros,
 * type check, output, predicate and event types — with Falco's codes and warnings.
 * @module
 */
import { VigilError, error, warning, type Diagnostic } from '../../core/index.ts';
import type { Collector, RuleInfo } from '../collector/index.ts';
import { formatCondition, parseCondition, walkExpr, type Expr } from '../condition/index.ts';
import type { FieldTable } from '../fields.ts';
import { priorityLevel, type Pos } from '../reader/index.ts';
import { appendFor, type AppendOutputEntry, type ExtraField } from '../output/append.ts';
import { checkCondition, compileOutput, compilePredicate, eventTypes } from './backend.ts';
import { applyExceptions } from './exceptions.ts';
import { expandLists, ListSubstituter, type ExpandedList } from './lists.ts';
import { MacroError, resolveMacros, type MacroEntry } from './macros.ts';
import type { CompiledRule, LoadOptions, OutputFormatter } from './types.ts';

const CONTAINER_INFO = '%container.info';
const DEPRECATED_OUTPUT_FIELDS = [
  'evt.dir',
  'evt.latency',
  'evt.latency.s',
  'evt.latency.ns',
  'evt.latency.human',
  'evt.wait_latency',
];

/** Load options plus the validated append_output entries (see loadRules). */
export interface CompileOptions extends LoadOptions {
  append?: readonly AppendOutputEntry[];
}

/** Everything compilation produced. */
export interface CompileOutput {
  rules: CompiledRule[];
  lists: ExpandedList[];
  macros: Map<string, MacroEntry>;
}

function isUnknownTypeOrField(msg: string): boolean {
  return [
    'nonexistent field',
    'invalid formatting token',
    'unknown event type',
    'unknown filter:',
  ].some((s) => msg.includes(s));
}

function fail(code: string, message: string, pos: Pos, item: string): VigilError {
  const e = new VigilError(code, message, pos);
  e.diagnostic.item = item;
  return e;
}

/** Where inside a condition scalar a parser position falls (exact for one-line plain scalars). */
function condPosition(base: Pos, line?: number, column?: number): Pos {
  if (!line || !column) return base;
  return line === 1
    ? { ...base, column: base.column + column - 1 }
    : { ...base, line: base.line + line - 1, column };
}

/** Parsed trees by condition text, shared by the per-file passes of one load. */
export type ParseCache = Map<string, Expr>;

function parse(text: string, pos: Pos, item: string, cache?: ParseCache): Expr {
  const hit = cache?.get(text);
  if (hit) return hit;
  try {
    const ast = parseCondition(text, { maxDepth: 1000 });
    cache?.set(text, ast);
    return ast;
  } catch (e) {
    if (e instanceof VigilError) {
      const d = e.diagnostic;
      throw fail(
        'LOAD_ERR_COMPILE_CONDITION',
        d.message,
        condPosition(pos, d.line, d.column),
        item,
      );
    }
    throw e;
  }
}

class Rule implements CompiledRule {
  private canonical?: string;
  constructor(init: Omit<CompiledRule, 'compiled'>) {
    Object.assign(this, init);
  }
  declare name: string;
  declare desc: string;
  declare priority: CompiledRule['priority'];
  declare source: string;
  declare tags: string[];
  declare enabled: boolean;
  declare condition: string;
  declare ast: Expr;
  declare eventTypes: Set<string> | undefined;
  declare predicate: (event: unknown) => boolean;
  declare output: string;
  declare formatter: OutputFormatter;
  declare capture: boolean;
  declare captureDuration: number;
  declare warnEvttypes: boolean;
  declare skipIfUnknownFilter: boolean;
  declare index: number;
  declare pos: Pos;
  /** Computed on first use: printing every rule costs time nobody needs at load. */
  get compiled(): string {
    return (this.canonical ??= formatCondition(this.ast));
  }
}

/**
 * Compiles everything collected; throws VigilError at the first error (Falco stops there).
 * A `check` pass (after a file that is not the last) only parses and resolves, as Falco's
 * per-file compile would fail on, e.g., a macro that only a later file defines.
 */
export function compileAll(
  col: Collector,
  opts: CompileOptions,
  warnings: Diagnostic[],
  cache?: ParseCache,
  check = false,
): CompileOutput {
  const lists = expandLists(col);
  const subst = new ListSubstituter(lists);
  const macros = new Map<string, MacroEntry>();
  for (const m of col.macros) {
    macros.set(m.name, {
      name: m.name,
      ast: parse(subst.apply(m.condition), m.condPos, m.name, cache),
      index: m.index,
      resolved: false,
      used: false,
    });
  }
  for (const m of col.macros) {
    const entry = macros.get(m.name)!;
    entry.ast = resolve(entry.ast, macros, m.visibility, m.pos, m.name);
    entry.resolved = true;
  }
  const minLevel = opts.minPriority ? priorityLevel(opts.minPriority) : 7;
  const rules: CompiledRule[] = [];
  for (const r of col.rules) {
    if (r.unknownSource) continue;
    if (check) {
      const condition = r.exceptions.length
        ? applyExceptions(r.condition, r.exceptions, r.name)
        : r.condition;
      resolve(
        parse(subst.apply(condition), r.condPos, r.name, cache),
        macros,
        Infinity,
        r.pos,
        r.name,
      );
      continue;
    }
    const rule = compileRule(r, opts.fieldTables.get(r.source)!, subst, macros, warnings, cache, opts.append);
    // Falco compiles every rule (so errors always show) and filters by priority afterwards
    if (rule && priorityLevel(rule.priority) <= minLevel) rules.push(rule);
  }
  return { rules, lists, macros };
}

function resolve(
  ast: Expr,
  macros: Map<string, MacroEntry>,
  visibility: number,
  pos: Pos,
  item: string,
): Expr {
  try {
    return resolveMacros(ast, macros, visibility);
  } catch (e) {
    if (e instanceof MacroError) throw fail('LOAD_ERR_VALIDATE', e.message, pos, item);
    if (e instanceof RangeError)
      throw fail('LOAD_ERR_VALIDATE', 'exceeded max depth limit of 1000', pos, item);
    throw e;
  }
}

function compileRule(
  r: RuleInfo,
  table: FieldTable,
  subst: ListSubstituter,
  macros: Map<string, MacroEntry>,
  warnings: Diagnostic[],
  cache?: ParseCache,
  append: readonly AppendOutputEntry[] = [],
): CompiledRule | undefined {
  const condition = r.exceptions.length
    ? applyExceptions(r.condition, r.exceptions, r.name)
    : r.condition;
  // Falco appends before it drops %container.info, and checks the whole output afterwards
  const extra = append.length ? appendFor(append, r, table) : undefined;
  let output = extra?.text ? r.output + extra.text : r.output;
  if (output.includes(CONTAINER_INFO)) {
    warnings.push(
      warning(
        'LOAD_DEPRECATED_ITEM',
        '%container.info is deprecated and no more useful, and will be dropped by Falco 1.0.0. The container plugin will automatically add required fields to the output message.',
        r.pos,
        r.name,
      ),
    );
    output = output.split(CONTAINER_INFO).join('');
  }
  const fmt: OutputFormatter & { diagnostics: Diagnostic[] } = compileOutput(output, table);
  const outErr = fmt.diagnostics.find((d) => d.severity === 'error');
  if (outErr) {
    if (r.skipIfUnknownFilter && isUnknownTypeOrField(outErr.message)) {
      warnings.push(warning('LOAD_UNKNOWN_FILTER', outErr.message, r.outputPos, r.name));
      return undefined;
    }
    throw fail('LOAD_ERR_COMPILE_OUTPUT', outErr.message, r.outputPos, r.name);
  }
  for (const d of fmt.diagnostics)
    warnings.push({
      ...d,
      file: r.outputPos.file,
      line: r.outputPos.line,
      column: r.outputPos.column,
      item: r.name,
    });
  if (extra?.fields.length) fmt.extraFields = compileExtraFields(extra.fields, table, r);
  for (const f of DEPRECATED_OUTPUT_FIELDS) {
    if (output.includes(f))
      warnings.push(
        warning(
          'LOAD_DEPRECATED_ITEM',
          `usage of deprecated field '${f}' has been detected in the rule output`,
          r.outputPos,
          r.name,
        ),
      );
  }
  const text = subst.apply(condition);
  const own = parse(text, r.condPos, r.name, cache);
  const ast = resolve(own, macros, Infinity, r.pos, r.name);
  const diags = checkCondition(ast, table);
  const where = (d: Diagnostic) => ownPosition(d, own, text, r.condition, r.condPos);
  const err = diags.find((d) => d.severity === 'error');
  if (err) {
    if (r.skipIfUnknownFilter && isUnknownTypeOrField(err.message)) {
      warnings.push(warning('LOAD_UNKNOWN_FILTER', err.message, where(err), r.name));
      return undefined;
    }
    throw fail('LOAD_ERR_COMPILE_CONDITION', err.message, where(err), r.name);
  }
  for (const d of diags)
    warnings.push({
      ...d,
      file: r.condPos.file,
      line: r.condPos.line,
      column: r.condPos.column,
      item: r.name,
    });
  let types: Set<string> | undefined;
  if (r.source === 'syscall') {
    types = eventTypes(ast);
    if (types === undefined || types.size > 100) {
      if (r.warnEvttypes) {
        warnings.push(
          warning(
            'LOAD_NO_EVTTYPE',
            'Rule matches too many evt.type values. This has a significant performance penalty.',
            r.pos,
            r.name,
          ),
        );
      }
    }
  }
  return new Rule({
    name: r.name,
    desc: r.desc,
    priority: r.priority,
    source: r.source,
    tags: r.tags,
    enabled: r.enabled,
    condition: r.condition,
    ast,
    eventTypes: types,
    predicate: compilePredicate(ast, table),
    output,
    formatter: fmt,
    capture: r.capture,
    captureDuration: r.captureDuration,
    warnEvttypes: r.warnEvttypes,
    skipIfUnknownFilter: r.skipIfUnknownFilter,
    index: r.index,
    pos: r.pos,
  });
}

/**
 * append_output's extra_fields of one rule: a named format gives its rendered text (missing
 * values as <NA>), a field given by name its typed value. Bad formats fail the rule's output.
 */
function compileExtraFields(fields: readonly ExtraField[], table: FieldTable, r: RuleInfo): NonNullable<OutputFormatter['extraFields']> {
  const getters = fields.map((f) => {
    const o = compileOutput(f.format, table);
    const bad = o.diagnostics.find((d) => d.severity === 'error');
    if (bad) throw fail('LOAD_ERR_COMPILE_OUTPUT', `${bad.message} (append_output extra field ${JSON.stringify(f.key)})`, r.outputPos, r.name);
    return f.raw ? (e: unknown) => o.fields(e)[f.key] ?? null : (e: unknown) => o.render(e);
  });
  const keys = fields.map((f) => f.key);
  return (e) => {
    const out: Record<string, string | number | boolean | null> = {};
    for (let i = 0; i < keys.length; i++) out[keys[i]!] = getters[i]!(e);
    return out;
  };
}

/**
 * Maps a compiler diagnostic into the rules file when it concerns the rule's own text
 * (not a macro's) and lists/exceptions left the text before it unchanged; else the
 * condition's start.
 */
function ownPosition(d: Diagnostic, own: Expr, text: string, raw: string, base: Pos): Pos {
  const off = d.offset;
  if (off === undefined || text.slice(0, off) !== raw.slice(0, off)) return base;
  let mine = false;
  walkExpr(own, (n) => {
    if ('pos' in n && n.pos.offset === off) mine = true;
    return !mine;
  });
  return mine ? condPosition(base, d.line, d.column) : base;
}

/** Unused-item warnings, after a successful compile. */
export function unusedWarnings(col: Collector, out: CompileOutput): Diagnostic[] {
  const w: Diagnostic[] = [];
  for (const m of col.macros) {
    if (!out.macros.get(m.name)!.used)
      w.push(
        warning(
          'LOAD_UNUSED_MACRO',
          'Macro not referred to by any other rule/macro',
          m.pos,
          m.name,
        ),
      );
  }
  for (const l of out.lists) {
    if (!l.used)
      w.push(
        warning(
          'LOAD_UNUSED_LIST',
          'List not referred to by any other rule/macro',
          col.lists.get(l.name)!.pos,
          l.name,
        ),
      );
  }
  return w;
}

/** An error diagnostic from anything thrown during compilation. */
export function toDiagnostic(e: unknown): Diagnostic {
  if (e instanceof VigilError) return e.diagnostic;
  return error('LOAD_ERR_VALIDATE', e instanceof Error ? e.message : String(e));
}
