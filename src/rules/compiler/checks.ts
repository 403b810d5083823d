/**
 * Compiles one check (`field op value`, `field exists`) into a predicate closure: the literal
 * values are parsed by the field's type once, sets and matchers are prepared once, and a
 * value that cannot be extracted makes every comparison false (only `exists` looks at presence).
 * @module
 */
import type { BinaryCheckExpr, FieldExpr, TransformerExpr, UnaryCheckExpr, ValueExpr } from '../condition/index.ts';
import type { FieldTable, FieldType } from '../fields.ts';
import { anyOfCheck } from './any-of.ts';
import { CompileError, resolveOperand, type Operand } from './operands.ts';
import { incompatibility, normalizeOp, typeClass } from './types.ts';
import { inNet, normalizerFor, parseLiteral, toNumeric, toStr, ValueError, type IpNet, type Prepared } from './values.ts';
import { compilePathPrefix, compileRegex, globToRegExp } from './matching.ts';

/** A compiled predicate over events of type E. */
export type Pred<E> = (event: E) => boolean;

/** Receives the literal values of a check, for compile-time warnings. */
export type ValueHook = (op: string, values: ValueExpr[]) => void;

/** Compiles a unary or binary check. */
export function compileCheck<E>(node: UnaryCheckExpr | BinaryCheckExpr, table: FieldTable<E>, onValues?: ValueHook): { pred: Pred<E>; left: Operand<E>; inline?: InlineCheck } {
  const left = resolveOperand(node.left, table);
  if (!left.each) return compileResolved(node, left, table, onValues);
  // each value is tested by the plain check, compiled once over a slot the loop fills
  return anyOfCheck(node, left, left.each, (slot) => compileResolved(node, slot, table, onValues).pred);
}

/** Compiles a check whose left operand is resolved. */
function compileResolved<E>(node: UnaryCheckExpr | BinaryCheckExpr, left: Operand<E>, table: FieldTable<E>, onValues?: ValueHook): { pred: Pred<E>; left: Operand<E>; inline?: InlineCheck } {
  const op = normalizeOp(node.op);
  const bad = incompatibility(op, node.kind === 'binary' ? node.modifier : undefined, left.type, left.isList);
  if (bad) throw new CompileError(`filter error: ${bad}`, node.pos);
  const get = left.get;
  if (node.kind === 'unary') {
    return { pred: (e) => get(e) !== undefined, left, inline: { shape: 'exists', get: get as InlineCheck['get'], c: undefined, slow: () => false } };
  }

  const right = node.right;
  if (right.kind === 'field' || right.kind === 'transformer') {
    return { pred: compareWithOperand(left, op, node.modifier, resolveOperand(right as FieldExpr | TransformerExpr, table)), left };
  }
  const values: ValueExpr[] = right.kind === 'list' ? right.values : [right];
  onValues?.(op, values);
  // The source's own value check (e.g. evt.type names) applies to literals compared with a plain field.
  const validate = left.plain ? left.fields[0]?.def.validateValue : undefined;
  if (validate) {
    for (const v of values) {
      const bad = validate(v.value);
      if (bad) throw new CompileError(bad, v.pos);
    }
  }
  const prepared = values.map((v) => {
    try {
      return parseLiteral(v.value, left.type, op);
    } catch (e) {
      if (e instanceof ValueError) throw new CompileError(e.message, v.pos);
      throw e;
    }
  });
  const cmp = elementMatcher(op, left.type, prepared, node.pos);
  const norm = normalizerFor(left.type);

  if (left.isList) {
    // List fields: `in` = every extracted value is in the set, `intersects` = at least one.
    const every = op === 'in';
    return {
      left,
      pred: (e) => {
        const got = get(e);
        if (got === undefined) return false;
        const v = Array.isArray(got) ? got : [got];
        if (v.length === 0) return false;
        for (let i = 0; i < v.length; i++) {
          const x = norm(v[i]);
          const hit = x !== undefined && cmp(x);
          if (every ? !hit : hit) return !every;
        }
        return every;
      },
    };
  }
  if (node.modifier) return { pred: modifierPred(get, norm, op, node.modifier, left.type, prepared, node.pos), left };
  const fast = fastPath(get, op, typeClass(left.type), prepared, cmp);
  if (fast) return { pred: fast.pred, left, inline: fast.inline };
  return {
    left,
    pred: (e) => {
      const v = get(e);
      if (v === undefined) return false;
      const x = norm(v);
      return x !== undefined && cmp(x);
    },
  };
}

/** A check simple enough for the code generator to inline: `shape` over `get(e)` and constant `c`. */
export interface InlineCheck {
  shape: 'exists' | 'str-eq' | 'str-ne' | 'str-in' | 'num-eq' | 'num-ne';
  get: (e: never) => unknown;
  c: unknown;
  /** The general comparison, used when the value is not in its common representation. */
  slow: (v: unknown) => boolean;
}

/**
 * The hottest shapes (string/numeric equality and set membership): one closure taking the
 * common representation directly, plus a description the code generator can inline.
 */
function fastPath<E>(get: Operand<E>['get'], op: string, cls: ReturnType<typeof typeClass>, vals: Prepared[], cmp: (x: Prepared) => boolean): { pred: Pred<E>; inline: InlineCheck } | undefined {
  const g = get as InlineCheck['get'];
  if (cls === 'string') {
    const slow = (v: unknown): boolean => cmp(toStr(v)!);
    if (op === '=' && typeof vals[0] === 'string') {
      const s = vals[0];
      return {
        inline: { shape: 'str-eq', get: g, c: s, slow },
        pred: (e) => {
          const v = get(e);
          return v === s || (v !== undefined && typeof v !== 'string' && slow(v));
        },
      };
    }
    if (op === '!=' && typeof vals[0] === 'string') {
      const s = vals[0];
      return {
        inline: { shape: 'str-ne', get: g, c: s, slow },
        pred: (e) => {
          const v = get(e);
          return typeof v === 'string' ? v !== s : v !== undefined && slow(v);
        },
      };
    }
    if (op === 'in' || op === 'intersects') {
      const set = new Set(vals as string[]);
      return {
        inline: { shape: 'str-in', get: g, c: set, slow },
        pred: (e) => {
          const v = get(e);
          return typeof v === 'string' ? set.has(v) : v !== undefined && slow(v);
        },
      };
    }
  }
  if (cls === 'numeric' && typeof vals[0] === 'number' && (op === '=' || op === '!=')) {
    const n = vals[0];
    const eq = op === '=';
    const slow = (v: unknown): boolean => {
      const x = toNumeric(v);
      return x !== undefined && cmp(x);
    };
    return {
      inline: { shape: eq ? 'num-eq' : 'num-ne', get: g, c: n, slow },
      pred: (e) => {
        const v = get(e);
        if (typeof v === 'number') return eq ? v === n : v !== n;
        return v !== undefined && slow(v);
      },
    };
  }
  return undefined;
}

/** A per-element test of one normalized value against the prepared literal(s). */
function elementMatcher(op: string, t: FieldType, vals: Prepared[], pos: BinaryCheckExpr['pos']): (x: Prepared) => boolean {
  const cls = typeClass(t);
  if (op === 'in' || op === 'intersects') return membership(cls, vals);
  if (op === 'pmatch') {
    const m = compilePathPrefix(vals as string[]);
    return (x) => m(x as string);
  }
  const single = vals[0];
  if (single === undefined) return () => false;
  return scalarMatcher(op, cls, single, pos);
}

function membership(cls: ReturnType<typeof typeClass>, vals: Prepared[]): (x: Prepared) => boolean {
  if (cls === 'ipnet') {
    const nets = vals as IpNet[];
    return (x) => nets.some((n) => inNet(x as number | bigint, n));
  }
  if (cls === 'buffer') {
    const bufs = vals.map((v) => Buffer.from(v as Uint8Array));
    return (x) => bufs.some((b) => b.equals(x as Uint8Array));
  }
  const set = new Set<unknown>(vals.map((v) => (typeof v === 'bigint' && cls === 'numeric' ? canonNum(v) : v)));
  if (cls === 'numeric') return (x) => set.has(typeof x === 'bigint' ? canonNum(x) : x);
  return (x) => set.has(x);
}

function canonNum(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function numCmp(a: number | bigint, b: number | bigint): number {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The test for a single literal; also used per element by modifiers. */
function scalarMatcher(op: string, cls: ReturnType<typeof typeClass>, v: Prepared, pos: BinaryCheckExpr['pos']): (x: Prepared) => boolean {
  switch (cls) {
    case 'numeric': {
      const n = v as number | bigint;
      switch (op) {
        case '=': return (x) => x === n || numCmp(x as number, n) === 0;
        case '!=': return (x) => x !== n && numCmp(x as number, n) !== 0;
        case '<': return (x) => numCmp(x as number, n) < 0;
        case '<=': return (x) => numCmp(x as number, n) <= 0;
        case '>': return (x) => numCmp(x as number, n) > 0;
        case '>=': return (x) => numCmp(x as number, n) >= 0;
      }
      break;
    }
    case 'bool':
    case 'ipaddr':
      if (op === '=') return (x) => x === v;
      if (op === '!=') return (x) => x !== v;
      break;
    case 'ipnet':
      if (op === '=') return (x) => inNet(x as number | bigint, v as IpNet);
      if (op === '!=') return (x) => !inNet(x as number | bigint, v as IpNet);
      break;
    case 'buffer': {
      const b = Buffer.from(v as Uint8Array);
      const asBuf = (x: Prepared): Buffer => (Buffer.isBuffer(x) ? x : Buffer.from((x as Uint8Array).buffer, (x as Uint8Array).byteOffset, (x as Uint8Array).byteLength));
      switch (op) {
        case '=': return (x) => b.equals(asBuf(x));
        case '!=': return (x) => !b.equals(asBuf(x));
        case 'contains': case 'bcontains': return (x) => asBuf(x).includes(b);
        case 'startswith': case 'bstartswith': return (x) => asBuf(x).subarray(0, b.length).equals(b);
        case 'endswith': return (x) => { const y = asBuf(x); return y.length >= b.length && y.subarray(y.length - b.length).equals(b); };
      }
      break;
    }
    case 'string':
    default: {
      const s = v as string;
      switch (op) {
        case '=': return (x) => x === s;
        case '!=': return (x) => x !== s;
        case '<': return (x) => (x as string) < s;
        case '<=': return (x) => (x as string) <= s;
        case '>': return (x) => (x as string) > s;
        case '>=': return (x) => (x as string) >= s;
        case 'contains': return (x) => (x as string).includes(s);
        case 'icontains': {
          const low = asciiLower(s);
          return (x) => asciiLower(x as string).includes(low);
        }
        case 'startswith': return (x) => (x as string).startsWith(s);
        case 'endswith': return (x) => (x as string).endsWith(s);
        case 'glob': { const rx = globToRegExp(s); return (x) => rx.test(x as string); }
        case 'iglob': { const rx = globToRegExp(s, true); return (x) => rx.test(x as string); }
        case 'pmatch': { const m = compilePathPrefix([s]); return (x) => m(x as string); }
        case 'regex': { const rx = regexOrThrow(s, pos); return (x) => rx.test(x as string); }
      }
    }
  }
  throw new CompileError(`filter error: '${op}' operator not supported here`, pos);
}

function regexOrThrow(s: string, pos: BinaryCheckExpr['pos']): RegExp {
  try {
    return compileRegex(s);
  } catch (e) {
    throw new CompileError((e as Error).message, pos);
  }
}

// strcasestr folds ASCII only.
function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

function modifierPred<E>(get: Operand<E>['get'], norm: (v: unknown) => Prepared | undefined, op: string, mod: string, t: FieldType,
  vals: Prepared[], pos: BinaryCheckExpr['pos']): Pred<E> {
  if (vals.length === 0) return () => false;
  const cls = typeClass(t);
  const tests = vals.map((v) => scalarMatcher(op, cls, v, pos));
  let test: (x: Prepared) => boolean;
  if (mod === 'anyof') {
    test = op === '=' && cls !== 'ipnet' && cls !== 'buffer' ? membership(cls, vals) : (x) => tests.some((f) => f(x));
  } else if (mod === 'allof') {
    if (op === '!=' && cls !== 'ipnet' && cls !== 'buffer') {
      const inSet = membership(cls, vals);
      test = (x) => !inSet(x);
    } else test = (x) => tests.every((f) => f(x));
  } else {
    test = (x) => {
      let n = 0;
      for (const f of tests) if (f(x) && ++n > 1) return false;
      return n === 1;
    };
  }
  return (e) => {
    const v = get(e);
    if (v === undefined) return false;
    const x = norm(v);
    return x !== undefined && test(x);
  };
}

/** `field op val(other)` / `field op tolower(other)`: both sides extracted per event. */
function compareWithOperand<E>(left: Operand<E>, op: string, mod: string | undefined, right: Operand<E>): Pred<E> {
  const cls = typeClass(left.type);
  const norm = normalizerFor(left.type);
  const lg = left.get;
  const rg = right.get;
  const pos = { offset: 0, line: 1, column: 1 };
  return (e) => {
    const lv = lg(e);
    if (lv === undefined) return false;
    const rv = rg(e);
    if (rv === undefined) return false;
    const x = norm(lv);
    if (x === undefined) return false;
    const rights = (Array.isArray(rv) ? rv : [rv]).map((r) => (cls === 'ipnet' ? r : norm(r))).filter((r) => r !== undefined) as Prepared[];
    if (op === 'in' || op === 'intersects') return membership(cls, rights)(x);
    if (rights.length === 0) return false;
    if (mod) return modifierPred(() => lv, norm, op, mod, left.type, rights, pos)(e);
    return scalarMatcher(op, cls === 'ipnet' ? 'ipaddr' : cls, rights[0]!, pos)(x);
  };
}
