/**
 * The collector: applies items in order across files — definitions (redefinition keeps the
 * original position), legacy `append: true`, `override` append/replace, `enabled` toggles,
 * engine and plugin version requirements — with Falco's error texts.
 * @module
 */
import { VigilError, warning, type Diagnostic } from '../../core/index.ts';
import {
  compareSemver,
  parseSemver,
  semverCompatible,
  type ExceptionInfo,
  type Pos,
  type ReadItem,
  type RuleAppendItem,
  type RuleItem,
  type RuleReplaceItem,
} from '../reader/index.ts';
import { Indexed } from './indexed.ts';
import { OPERATORS, isOperatorWithModifier, normalizeComp } from './operators.ts';
import type { CollectorEnv, ListInfo, MacroInfo, RuleInfo } from './types.ts';

const ERR = 'LOAD_ERR_VALIDATE';

function fail(message: string, pos: Pos, item?: string): VigilError {
  const e = new VigilError(ERR, message, pos);
  if (item) e.diagnostic.item = item;
  return e;
}

/** Collects lists, macros and rules from typed items; throws VigilError on the first error. */
export class Collector {
  readonly lists = new Indexed<ListInfo>();
  readonly macros = new Indexed<MacroInfo>();
  readonly rules = new Indexed<RuleInfo>();
  /** Each entry: alternatives, any one of which satisfies the requirement. */
  readonly pluginRequirements: { alternatives: { name: string; version: string }[]; pos: Pos }[] =
    [];
  /** Highest required engine version seen. */
  requiredEngineVersion: string | undefined;
  private nextIndex = 0;

  constructor(
    private readonly env: CollectorEnv,
    private readonly warnings: Diagnostic[],
  ) {}

  /** Applies one item. */
  add(item: ReadItem): void {
    switch (item.kind) {
      case 'engine-version':
        return this.engineVersion(item.version, item.pos);
      case 'plugin-versions':
        return this.pluginVersions(item.alternatives, item.pos);
      case 'list':
        return item.append
          ? this.appendList(item.name, item.items, item.pos)
          : this.defineList(item);
      case 'macro':
        return item.append
          ? this.appendMacro(item.name, item.condition, item.pos)
          : this.defineMacro(item);
      case 'rule':
        return this.defineRule(item);
      case 'rule-append':
        return this.appendRule(item);
      case 'rule-replace':
        return this.replaceRule(item);
      case 'rule-enable': {
        const prev = this.rules.get(item.name);
        if (!prev)
          throw fail(
            "Rule has 'enabled' key but no rule by that name already exists",
            item.pos,
            item.name,
          );
        prev.enabled = item.enabled;
        return;
      }
    }
  }

  private engineVersion(version: string, pos: Pos): void {
    if (!semverCompatible(this.env.engineVersion, version)) {
      throw fail(
        `Rules require engine version ${version}, but engine version is ${this.env.engineVersion}`,
        pos,
      );
    }
    const cur = this.requiredEngineVersion && parseSemver(this.requiredEngineVersion);
    if (!cur || compareSemver(parseSemver(version)!, cur) > 0) this.requiredEngineVersion = version;
  }

  private pluginVersions(alternatives: { name: string; version: string }[], pos: Pos): void {
    const names = new Set<string>();
    for (const req of alternatives) {
      if (!parseSemver(req.version))
        throw fail(`Invalid required version '${req.version}' for plugin '${req.name}'`, pos);
      if (names.has(req.name))
        throw fail(
          `Defined multiple alternative version requirements for plugin '${req.name}'`,
          pos,
        );
      names.add(req.name);
    }
    this.pluginRequirements.push({ alternatives, pos });
  }

  private define<T extends { name: string; index: number; visibility: number }>(
    coll: Indexed<T>,
    info: T,
  ): void {
    const id = this.nextIndex++;
    const prev = coll.get(info.name);
    info.index = prev ? prev.index : id;
    info.visibility = id;
    if (prev) coll.replace(info);
    else coll.add(info);
  }

  private defineList(item: { name: string; items: string[]; pos: Pos }): void {
    this.define(this.lists, {
      name: item.name,
      items: [...item.items],
      index: 0,
      visibility: 0,
      pos: item.pos,
    });
  }

  private appendList(name: string, items: string[], pos: Pos): void {
    const prev = this.lists.get(name);
    if (!prev)
      throw fail(
        "List uses 'append' or 'override.items: append' but no list by that name already exists",
        pos,
        name,
      );
    prev.items.push(...items);
    prev.visibility = this.nextIndex++;
  }

  private defineMacro(item: { name: string; condition: string; pos: Pos; condPos: Pos }): void {
    this.define(this.macros, {
      name: item.name,
      condition: item.condition,
      index: 0,
      visibility: 0,
      pos: item.pos,
      condPos: item.condPos,
    });
  }

  private appendMacro(name: string, condition: string, pos: Pos): void {
    const prev = this.macros.get(name);
    if (!prev)
      throw fail(
        "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists",
        pos,
        name,
      );
    prev.condition += ' ' + condition;
    prev.visibility = this.nextIndex++;
  }

  private findPrevRule(name: string, source: string | undefined, pos: Pos): RuleInfo | undefined {
    const prev = this.rules.get(name);
    if (prev && prev.source !== '' && source && prev.source !== source) {
      throw fail('Rule has been re-defined with a different source', pos, name);
    }
    return prev;
  }

  private defineRule(item: RuleItem): void {
    const source = item.source ?? 'syscall';
    this.findPrevRule(item.name, source, item.pos);
    const unknownSource = !this.env.hasSource(source);
    if (unknownSource)
      this.warnings.push(
        warning('LOAD_UNKNOWN_SOURCE', `Unknown source ${source}, skipping`, item.pos, item.name),
      );
    const exceptions = item.exceptions.map((e) => ({ ...e }));
    for (const ex of exceptions) {
      if (!ex.fields)
        throw fail(
          'Rule exception item must have fields property with a list of fields',
          ex.pos,
          item.name,
        );
      this.validateException(unknownSource ? undefined : source, ex, item.name);
    }
    const rest: Partial<RuleItem> = { ...item };
    delete rest.kind;
    this.define(this.rules, {
      ...(rest as Omit<RuleItem, 'kind'>),
      source,
      exceptions,
      tags: [...item.tags],
      unknownSource,
      index: 0,
      visibility: 0,
    });
  }

  private updateTarget(item: RuleAppendItem | RuleReplaceItem, missing: string): RuleInfo {
    const prev = this.findPrevRule(item.name, item.source, item.pos);
    if (!prev) throw fail(missing, item.pos, item.name);
    return prev;
  }

  private appendRule(item: RuleAppendItem): void {
    const prev = this.updateTarget(
      item,
      "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists",
    );
    if (
      ![item.condition, item.output, item.desc, item.tags, item.exceptions].some(
        (v) => v !== undefined,
      )
    ) {
      throw fail('Appended rule must have exceptions or condition property', item.pos, item.name);
    }
    const source = prev.unknownSource ? undefined : prev.source;
    if (item.condition) prev.condition += ' ' + item.condition;
    if (item.output) prev.output += ' ' + item.output;
    if (item.desc) prev.desc += ' ' + item.desc;
    if (item.tags) prev.tags = [...new Set([...prev.tags, ...item.tags])].sort();
    for (const ex of item.exceptions ?? []) {
      const existing = prev.exceptions.find((e) => e.name === ex.name);
      if (!existing) {
        if (!ex.fields)
          throw fail(
            'Rule exception must have fields property with a list of fields',
            ex.pos,
            item.name,
          );
        if (ex.values.length === 0)
          throw fail(
            'Rule exception must have values property with a list of values',
            ex.pos,
            item.name,
          );
        const copy = { ...ex };
        this.validateException(source, copy, item.name);
        prev.exceptions.push(copy);
      } else {
        if (ex.fields)
          throw fail(
            'Can not append exception fields to existing exception, only values',
            ex.pos,
            item.name,
          );
        if (ex.comps)
          throw fail(
            'Can not append exception comps to existing exception, only values',
            ex.pos,
            item.name,
          );
        // copy so a redefinition elsewhere never sees these values
        prev.exceptions[prev.exceptions.indexOf(existing)] = {
          ...existing,
          values: [...existing.values, ...ex.values],
        };
      }
    }
    prev.visibility = this.nextIndex++;
  }

  private replaceRule(item: RuleReplaceItem): void {
    const prev = this.updateTarget(
      item,
      "An 'override.<key>: replace' to a rule was requested but no rule by that name already exists",
    );
    const fields: Partial<RuleReplaceItem> = { ...item };
    for (const k of ['kind', 'name', 'source', 'pos'] as const) delete fields[k];
    if (Object.values(fields).every((v) => v === undefined))
      throw fail('The rule must have at least one field that can be replaced', item.pos, item.name);
    if (fields.exceptions) {
      const source = prev.unknownSource ? undefined : prev.source;
      fields.exceptions = fields.exceptions.map((e) => ({ ...e }));
      for (const ex of fields.exceptions) {
        if (ex.fields) this.validateException(source, ex, item.name);
      }
    }
    for (const [k, v] of Object.entries(fields))
      if (v !== undefined) (prev as unknown as Record<string, unknown>)[k] = v;
    prev.visibility = this.nextIndex++;
  }

  /** Fills default comps and checks operators and fields (Falco's validate_exception_info). */
  private validateException(source: string | undefined, ex: ExceptionInfo, rule: string): void {
    const fields = ex.fields!;
    if (fields.isList) {
      const comps = ex.comps ?? {
        isList: true,
        item: '',
        items: fields.items.map(() => ({ isList: false, item: '=', items: [] })),
      };
      if (comps.items.length !== fields.items.length)
        throw fail('Fields and comps lists must have equal length', ex.pos, rule);
      ex.comps = {
        ...comps,
        items: comps.items.map((c) => ({ ...c, item: normalizeComp(c.item) })),
      };
      for (const c of ex.comps.items) {
        if (!OPERATORS.has(c.item) && !isOperatorWithModifier(c.item))
          throw fail(`'${c.item}' is not a supported comparison operator`, ex.pos, rule);
      }
      if (source) {
        for (const f of fields.items) {
          if (!this.env.isValidLhsField(source, f.item))
            throw fail(`'${f.item}' is not a supported filter field`, ex.pos, rule);
        }
      }
    } else {
      const comps = ex.comps ?? { isList: false, item: 'in', items: [] };
      if (comps.isList) throw fail('Fields and comps must both be strings', ex.pos, rule);
      const op = normalizeComp(comps.item);
      ex.comps = { ...comps, item: op };
      if (op !== 'in' && op !== 'pmatch' && op !== 'intersects' && !isOperatorWithModifier(op)) {
        throw fail(
          'When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier operator (e.g. startswith oneof)',
          ex.pos,
          rule,
        );
      }
      if (source && !this.env.isValidLhsField(source, fields.item))
        throw fail(`'${fields.item}' is not a supported filter field`, ex.pos, rule);
    }
  }
}
