/**
 * Resolves the operand of a check (a field, or transformers over fields and literals) to its
 * type and an extractor closure, with libsinsp's rules for arguments and transformers.
 * @module
 */
import type { FieldExpr, SourcePos, TransformerExpr, TransformerListExpr, ValueExpr } from '../condition/index.ts';
import type { FieldDef, FieldTable, FieldType, FieldValue } from '../fields.ts';
import { typeClass } from './types.ts';
import { toStr } from './values.ts';

/** A compile error with the position of the node it concerns. */
export class CompileError extends Error {
  constructor(message: string, readonly pos?: SourcePos) {
    super(message);
  }
}

/** A typed value source: `get` returns undefined when the value is not available (<NA>). */
export interface Operand<E> {
  type: FieldType;
  isList: boolean;
  get: (event: E) => FieldValue;
  /** The field definitions read, for deprecation warnings. */
  fields: { name: string; def: FieldDef<E> }[];
  /** True for a bare field reference (no transformer). */
  plain: boolean;
  /** Set for a bare any-of field (`proc.aname` without a level): the values a check tests one by one. */
  each?: (event: E) => readonly FieldValue[] | undefined;
}

const STRINGY = new Set<FieldType>(['CHARBUF', 'FSPATH', 'FSRELPATH']);

/** Resolves a field reference against the table. */
export function resolveField<E>(node: FieldExpr, table: FieldTable<E>): Operand<E> {
  const full = node.arg !== undefined ? `${node.field}[${node.arg}]` : node.field;
  const found = table.lookup(node.field);
  if (!found) throw new CompileError(`filter_check called with nonexistent field ${full}`, node.pos);
  const { def } = found;
  const arg = node.arg ?? found.impliedArg;
  if (node.arg !== undefined && (def.arg === 'none' || found.impliedArg !== undefined)) {
    throw new CompileError(`filter error: field '${node.field}' does not support arguments`, node.pos);
  }
  if (arg === undefined && (def.arg === 'required-index' || def.arg === 'required-key')) {
    throw new CompileError(`filter error: field '${node.field}' requires an argument`, node.pos);
  }
  if (arg !== undefined && (def.arg === 'required-index' || def.arg === 'optional-index') && !/^[0-9]+$/.test(arg)) {
    // evt.arg[N] also takes names in Falco; tables that allow that declare a key rule.
    throw new CompileError(`filter error: field '${node.field}' argument must be a number: ${arg}`, node.pos);
  }
  const extract = def.extract;
  // Without an argument the extractor is used as is: one call less per evaluation.
  const get: (e: E) => FieldValue = !extract ? () => undefined : arg === undefined ? (extract as (e: E) => FieldValue) : (e) => extract(e, arg);
  const op: Operand<E> = { type: def.type, isList: !!def.isList, get, fields: [{ name: node.field, def }], plain: true };
  if (arg === undefined && def.anyOf) op.each = def.anyOf;
  return op;
}

type Arg = FieldExpr | TransformerExpr | ValueExpr | TransformerListExpr | { kind: 'list'; values: ValueExpr[]; pos: SourcePos };

/** Resolves any operand node. */
export function resolveOperand<E>(node: Arg, table: FieldTable<E>): Operand<E> {
  switch (node.kind) {
    case 'field': return resolveField(node, table);
    case 'transformer': return resolveTransformer(node, table);
    case 'value': {
      const v = node.value;
      return { type: 'CHARBUF', isList: false, get: () => v, fields: [], plain: false };
    }
    case 'list': {
      const vs = node.values.map((x) => x.value);
      return { type: 'CHARBUF', isList: true, get: () => vs, fields: [], plain: false };
    }
    case 'transformer-list': {
      const items = node.items.map((i) => resolveOperand(i, table));
      const gets = items.map((i) => i.get);
      return {
        type: items[0]?.type ?? 'CHARBUF', isList: true, fields: items.flatMap((i) => i.fields), plain: false,
        get: (e) => {
          const out: string[] = [];
          for (const g of gets) {
            const v = g(e);
            if (v === undefined) return undefined;
            if (Array.isArray(v)) for (const x of v) out.push(toStr(x) ?? '');
            else out.push(toStr(v) ?? '');
          }
          return out;
        },
      };
    }
  }
}

function typeErr(t: FieldType, name: string, pos: SourcePos): CompileError {
  return new CompileError(`filter error: field type '${t}' is not supported by transformer '${name}'`, pos);
}

function mapStr<E>(inner: Operand<E>, f: (s: string) => string | undefined): (e: E) => FieldValue {
  const g = inner.get;
  return (e) => {
    const v = g(e);
    if (v === undefined) return undefined;
    if (Array.isArray(v)) {
      const out: string[] = [];
      for (const x of v) {
        const r = f(toStr(x) ?? '');
        if (r === undefined) return undefined;
        out.push(r);
      }
      return out;
    }
    return f(toStr(v) ?? '');
  };
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

function resolveTransformer<E>(node: TransformerExpr, table: FieldTable<E>): Operand<E> {
  const name = node.name;
  // A transformer reads the field's own value (its extract), never the any-of values.
  const args = node.args.map((a) => ({ ...resolveOperand(a, table), each: undefined }));
  const fields = args.flatMap((a) => a.fields);
  if (args.length === 1 && ['val', 'tolower', 'toupper', 'b64', 'basename', 'len'].includes(name)) {
    if (node.arg !== undefined) {
      throw new CompileError(`filter error: transformer '${name}' does not support field arguments`, node.pos);
    }
    const inner = args[0]!;
    switch (name) {
      case 'val':
        return { ...inner, plain: false };
      case 'tolower':
      case 'toupper':
        if (!STRINGY.has(inner.type)) throw typeErr(inner.type, name, node.pos);
        return { ...inner, plain: false, get: mapStr(inner, name === 'tolower' ? (s) => s.toLowerCase() : (s) => s.toUpperCase()) };
      case 'basename':
        if (!STRINGY.has(inner.type) || inner.isList) throw typeErr(inner.type, name, node.pos);
        return { ...inner, plain: false, get: mapStr(inner, (s) => s.slice(s.lastIndexOf('/') + 1)) };
      case 'b64':
        if ((inner.type !== 'CHARBUF' && inner.type !== 'BYTEBUF') || inner.isList) throw typeErr(inner.type, name, node.pos);
        // libsinsp decodes; an invalid encoding makes the value unavailable.
        return {
          ...inner, plain: false,
          get: mapStr(inner, (s) => (B64.test(s) ? Buffer.from(s, 'base64').toString('latin1') : undefined)),
        };
      case 'len': {
        if (!inner.isList && !STRINGY.has(inner.type) && inner.type !== 'BYTEBUF') throw typeErr(inner.type, name, node.pos);
        const g = inner.get;
        return {
          type: 'UINT64', isList: false, fields, plain: false,
          get: (e) => {
            const v = g(e);
            if (v === undefined) return undefined;
            if (typeof v === 'string' || Array.isArray(v) || v instanceof Uint8Array) return v.length;
            return (toStr(v) ?? '').length;
          },
        };
      }
    }
  }
  if (name === 'val' || ['tolower', 'toupper', 'b64', 'basename', 'len'].includes(name)) {
    throw new CompileError(`filter error: transformer '${name}' requires exactly 1 argument`, node.pos);
  }
  return resolveMultiValue(node, args, fields);
}

function resolveMultiValue<E>(node: TransformerExpr, args: Operand<E>[], fields: Operand<E>['fields']): Operand<E> {
  const name = node.name;
  const pos = node.pos;
  if (name !== 'getopt' && node.arg !== undefined) {
    throw new CompileError(`filter error: transformer '${name}' does not support field arguments`, pos);
  }
  if (name === 'join') {
    if (args.length !== 2) throw new CompileError('join() requires exactly 2 arguments: separator and list', pos);
    if (args[0]!.isList) throw new CompileError('join() first argument (separator) must be a single value, not a list', pos);
    if (!args[1]!.isList) throw new CompileError('join() second argument must be a list', pos);
    const [sep, list] = [args[0]!.get, args[1]!.get];
    return {
      type: 'CHARBUF', isList: false, fields, plain: false,
      get: (e) => {
        const s = sep(e);
        const l = list(e);
        if (s === undefined || l === undefined) return undefined;
        return (Array.isArray(l) ? l : [l]).map((x) => toStr(x) ?? '').join(toStr(s) ?? '');
      },
    };
  }
  if (name === 'concat') {
    if (args.length < 2) throw new CompileError('concat() requires at least 2 arguments', pos);
    if (args.some((a) => a.isList || !STRINGY.has(a.type))) throw new CompileError('concat() arguments must be strings', pos);
    const gets = args.map((a) => a.get);
    return {
      type: 'CHARBUF', isList: false, fields, plain: false,
      get: (e) => {
        let out = '';
        for (const g of gets) {
          const v = g(e);
          if (v === undefined) return undefined;
          out += toStr(v) ?? '';
        }
        return out;
      },
    };
  }
  if (name === 'getopt') {
    if (args.length !== 2) throw new CompileError('getopt() requires exactly 2 arguments: args list and optstring', pos);
    if (!args[0]!.isList) throw new CompileError('getopt() first argument must be a list', pos);
    if (args[1]!.isList) throw new CompileError('getopt() second argument (optstring) must be a single value', pos);
    if (typeClass(args[0]!.type) !== 'string' || typeClass(args[1]!.type) !== 'string') {
      throw new CompileError('getopt() arguments must be strings', pos);
    }
    if (node.arg !== undefined && node.arg.length !== 1) {
      throw new CompileError('getopt() field argument must be a single option character', pos);
    }
    const [argv, opts] = [args[0]!.get, args[1]!.get];
    const want = node.arg;
    return {
      type: 'CHARBUF', isList: want === undefined, fields, plain: false,
      get: (e) => {
        const a = argv(e);
        const o = opts(e);
        if (a === undefined || o === undefined) return undefined;
        const parsed = getopt((Array.isArray(a) ? a : [a]).map((x) => toStr(x) ?? ''), toStr(o) ?? '');
        if (want === undefined) return parsed.map(([k, v]) => (v === undefined ? k : `${k}=${v}`));
        const hit = parsed.find(([k]) => k === want);
        return hit ? (hit[1] ?? '') : undefined;
      },
    };
  }
  throw new CompileError(`filter error: unknown transformer '${name}'`, pos);
}

/** POSIX getopt over an argv (without the program name): [option, argument?] pairs, stopping at `--` or the first operand. */
export function getopt(argv: string[], optstring: string): [string, string | undefined][] {
  const out: [string, string | undefined][] = [];
  const spec = optstring.startsWith(':') ? optstring.slice(1) : optstring;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--' || !a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const k = spec.indexOf(c);
      if (k < 0 || c === ':') continue; // unknown option: skipped
      if (spec[k + 1] === ':') {
        const rest = a.slice(j + 1);
        if (rest) out.push([c, rest]);
        else if (i + 1 < argv.length) out.push([c, argv[++i]]);
        break;
      }
      out.push([c, undefined]);
    }
  }
  return out;
}
