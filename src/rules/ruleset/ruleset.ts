/**
 * The ruleset runtime: rules indexed by source and event type, enable/disable by name or
 * tag (with `*`/`?` wildcards), a minimum priority, and Falco's `rule_matching: first|all`.
 * @module
 */
import type { Priority } from '../../core/index.ts';
import type { CompiledRule } from '../loader/index.ts';
import { priorityLevel } from '../reader/index.ts';

/** Runtime settings. */
export interface RulesetOptions {
  /** Rules less severe than this never match (default: debug, i.e. all). */
  minPriority?: Priority;
  /** `first` (default): stop at the first matching rule in definition order; `all`: every match. */
  ruleMatching?: 'first' | 'all';
}

interface SourceIndex<E> {
  byType: Map<string, CompiledRule<E>[]>;
  anyType: CompiledRule<E>[];
}

// What match() returns when nothing matched: one shared array, not a new one per event.
const NO_MATCH: readonly never[] = Object.freeze([]);

function wildcard(pattern: string): RegExp {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`);
}

/** Compiled rules ready to evaluate events. */
export class Ruleset<E = unknown> {
  private readonly enabled = new Map<string, boolean>();
  private minLevel: number;
  private matching: 'first' | 'all';
  private index: Map<string, SourceIndex<E>> | undefined;

  constructor(
    readonly rules: CompiledRule<E>[],
    opts: RulesetOptions = {},
  ) {
    for (const r of rules) this.enabled.set(r.name, r.enabled);
    this.minLevel = opts.minPriority ? priorityLevel(opts.minPriority) : 7;
    this.matching = opts.ruleMatching ?? 'first';
  }

  /** Enables or disables rules whose name matches the pattern (`*`, `?` wildcards). */
  setEnabledByName(pattern: string, on: boolean): number {
    const re = wildcard(pattern);
    return this.setWhere((r) => re.test(r.name), on);
  }

  /** Enables or disables rules having a tag that matches the pattern. */
  setEnabledByTag(pattern: string, on: boolean): number {
    const re = wildcard(pattern);
    return this.setWhere((r) => r.tags.some((t) => re.test(t)), on);
  }

  /** Sets the minimum priority. */
  setMinPriority(p: Priority): void {
    this.minLevel = priorityLevel(p);
    this.index = undefined;
  }

  /** Sets `first` or `all` matching. */
  setRuleMatching(m: 'first' | 'all'): void {
    this.matching = m;
  }

  /** Whether a rule is enabled and at or above the minimum priority. */
  isActive(rule: CompiledRule<E>): boolean {
    return this.enabled.get(rule.name) === true && priorityLevel(rule.priority) <= this.minLevel;
  }

  /** The active rules, in definition order. */
  activeRules(): CompiledRule<E>[] {
    return this.rules.filter((r) => this.isActive(r));
  }

  /** Number of active rules (Falco's num_rules_for_ruleset). */
  enabledCount(): number {
    return this.activeRules().length;
  }

  /**
   * Rules matching an event of `source` with event type `evtType`, in definition order. The
   * result is read-only: the no-match answer is one shared empty array.
   */
  match(source: string, evtType: string | undefined, event: E): readonly CompiledRule<E>[] {
    const idx = (this.index ??= this.buildIndex()).get(source);
    if (!idx) return NO_MATCH;
    const candidates = (evtType !== undefined && idx.byType.get(evtType)) || idx.anyType;
    let out: CompiledRule<E>[] | undefined;
    for (const r of candidates) {
      let hit = false;
      try {
        hit = r.predicate(event);
      } catch {
        hit = false; // a failing extractor must not stop the engine
      }
      if (!hit) continue;
      if (this.matching === 'first') return [r];
      (out ??= []).push(r);
    }
    return out ?? NO_MATCH;
  }

  private setWhere(pred: (r: CompiledRule<E>) => boolean, on: boolean): number {
    let n = 0;
    for (const r of this.rules) {
      if (pred(r)) {
        this.enabled.set(r.name, on);
        n++;
      }
    }
    this.index = undefined;
    return n;
  }

  private buildIndex(): Map<string, SourceIndex<E>> {
    const out = new Map<string, SourceIndex<E>>();
    const active = this.activeRules();
    for (const r of active) {
      let idx = out.get(r.source);
      if (!idx) out.set(r.source, (idx = { byType: new Map(), anyType: [] }));
      if (r.eventTypes === undefined) idx.anyType.push(r);
    }
    // each type's list holds its own rules plus the any-type rules, in definition order
    for (const r of active) {
      if (!r.eventTypes) continue;
      const idx = out.get(r.source)!;
      for (const t of r.eventTypes) {
        if (!idx.byType.has(t)) idx.byType.set(t, [...idx.anyType]);
        idx.byType.get(t)!.push(r);
      }
    }
    for (const idx of out.values())
      for (const list of idx.byType.values()) list.sort((a, b) => a.index - b.index);
    return out;
  }
}
