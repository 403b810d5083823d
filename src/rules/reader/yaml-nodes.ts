/**
 * Thin helpers over the `yaml` package's node tree: positions, key lookup with yaml-cpp's
 * "first key wins" semantics, scalar text as written, and a budget against alias bombs.
 * @module
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

type AnyDoc = Document<Node, boolean> | Document.Parsed;
import { VigilError } from '../../core/index.ts';
import type { Pos } from './types.ts';

/** Error code for YAML-level validation problems (wrong types, missing keys). */
export const YAML_VALIDATE = 'LOAD_ERR_YAML_VALIDATE';

/** Where we are in a file: name, line counter, document (for alias resolution), alias budget. */
export class NodeContext {
  /** Alias resolutions left before the file is rejected (anchor bombs). */
  aliasBudget = 10_000;
  /** Alias -> target: the yaml package resolves an alias by walking the whole document. */
  private readonly targets = new Map<unknown, unknown>();
  constructor(
    readonly file: string,
    readonly lines: LineCounter,
    public doc: AnyDoc | undefined,
    private readonly text = '',
  ) {}

  /**
   * Where a value's text starts: for block scalars (`condition: >`) the first content line,
   * so diagnostics point at the condition, not at the `>` indicator.
   */
  valuePos(node: unknown, fallback?: Pos): Pos {
    const p = this.pos(node, fallback);
    const n = this.deref(node);
    if (!isScalar(n) || (n.type !== 'BLOCK_FOLDED' && n.type !== 'BLOCK_LITERAL') || !n.range)
      return p;
    const nl = this.text.indexOf('\n', n.range[0]);
    if (nl < 0) return p;
    let i = nl + 1;
    while (this.text[i] === ' ' || this.text[i] === '\t') i++;
    const lp = this.lines.linePos(i);
    return { file: this.file, line: lp.line, column: lp.col };
  }

  /** The position of a node (its first character), or of `fallback` when the node has none. */
  pos(node: unknown, fallback?: Pos): Pos {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (!range) return fallback ?? { file: this.file, line: 1, column: 1 };
    const lp = this.lines.linePos(range[0]);
    return { file: this.file, line: lp.line, column: lp.col };
  }

  /** Follows aliases (counting them) so callers only see maps, sequences and scalars. */
  deref(node: unknown): unknown {
    let n = node;
    let hops = 0;
    while (isAlias(n)) {
      if (--this.aliasBudget < 0)
        throw this.fail(
          'LOAD_ERR_YAML_PARSE',
          'Too many YAML alias expansions (possible alias bomb)',
          n,
        );
      if (++hops > 100 || !this.doc)
        throw this.fail('LOAD_ERR_YAML_PARSE', 'Unresolvable YAML alias', n);
      let target = this.targets.get(n);
      if (target === undefined) {
        target = n.resolve(this.doc) ?? null;
        this.targets.set(n, target);
      }
      if (!target) throw this.fail('LOAD_ERR_YAML_PARSE', `Unknown YAML anchor '${n.source}'`, n);
      n = target;
    }
    return n;
  }

  /** Builds a VigilError positioned at `node`. */
  fail(code: string, message: string, node: unknown, fallback?: Pos, item?: string): VigilError {
    const e = new VigilError(code, message, this.pos(node, fallback));
    if (item) e.diagnostic.item = item;
    return e;
  }
}

/** A map's entries by key (first occurrence wins, as yaml-cpp's lookup does). */
export interface MapView {
  node: Node;
  keys: string[];
  get(key: string): { key: unknown; value: unknown } | undefined;
  has(key: string): boolean;
}

/** Wraps a YAML map for key lookup; undefined when `node` is not a map. */
export function mapView(ctx: NodeContext, node: unknown): MapView | undefined {
  const n = ctx.deref(node);
  if (!isMap(n)) return undefined;
  const entries = new Map<string, { key: unknown; value: unknown }>();
  const keys: string[] = [];
  for (const pair of n.items) {
    const k = ctx.deref(pair.key);
    const name = isScalar(k) ? scalarText(k) : String(k);
    keys.push(name);
    if (!entries.has(name)) entries.set(name, { key: pair.key, value: pair.value });
  }
  return {
    node: n as Node,
    keys,
    get: (key) => entries.get(key),
    has: (key) => entries.has(key),
  };
}

/** True for an absent value or an explicit YAML null (`key:` or `key: ~`). */
export function isNullNode(ctx: NodeContext, node: unknown): boolean {
  const n = ctx.deref(node);
  return n === null || n === undefined || (isScalar(n) && n.value === null);
}

/** The text of a scalar as written (so `1.0` stays `1.0`, not `1`). */
export function scalarText(node: unknown): string {
  if (!isScalar(node)) return '';
  const v = node.value;
  if (typeof v === 'string') return v;
  if (v === null) return '';
  if (typeof node.source === 'string' && node.type === 'PLAIN') return node.source;
  return String(v);
}

/** Whether a node is a scalar, sequence or map after following aliases. */
export function nodeKind(
  ctx: NodeContext,
  node: unknown,
): 'scalar' | 'seq' | 'map' | 'null' | 'other' {
  const n = ctx.deref(node);
  if (n === null || n === undefined) return 'null';
  if (isScalar(n)) return n.value === null ? 'null' : 'scalar';
  if (isSeq(n)) return 'seq';
  if (isMap(n)) return 'map';
  return 'other';
}

/** The items of a sequence node (aliases not yet followed). */
export function seqItems(ctx: NodeContext, node: unknown): unknown[] {
  const n = ctx.deref(node);
  return isSeq(n) ? n.items : [];
}
