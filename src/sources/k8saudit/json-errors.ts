/**
 * Locates the first syntax error of a JSON text and the JSON path of the value being read
 * there, for error messages (JSON.parse says neither reliably). Only runs after JSON.parse
 * has failed; iterative, so deep nesting cannot overflow the stack.
 * @module
 */

/** Where a JSON text stops being valid. */
export interface JsonSyntaxProblem {
  message: string;
  /** Byte offset of the problem in the text (UTF-16 index, which equals bytes for ASCII). */
  offset: number;
  line: number;
  column: number;
  /** The path of the value being read, e.g. `$.items[2].user`. */
  jsonPath: string;
}

type Frame = { kind: 'obj'; key?: string; state: 'key' | 'colon' | 'value' | 'comma' } | { kind: 'arr'; index: number; state: 'value' | 'comma' };

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `$.a[0]["b c"]` from a frame stack. */
function pathOf(stack: Frame[]): string {
  let p = '$';
  for (const f of stack) {
    if (f.kind === 'arr') p += `[${f.index}]`;
    else if (f.key !== undefined && f.state !== 'key') p += IDENT.test(f.key) ? `.${f.key}` : `[${JSON.stringify(f.key)}]`;
  }
  return p;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WS = /[ \t\n\r]*/y;

/** The first syntax problem of `text`, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  const stack: Frame[] = [];
  let i = 0;
  let done = false;
  const fail = (message: string): JsonSyntaxProblem => {
    const before = text.slice(0, i);
    const line = before.split('\n').length;
    const column = i - before.lastIndexOf('\n');
    return { message, offset: i, line, column, jsonPath: pathOf(stack) };
  };
  const skipWs = () => {
    WS.lastIndex = i;
    WS.exec(text);
    i = WS.lastIndex;
  };
  const tokenName = () => (i >= text.length ? 'end of input' : `'${text[i]}'`);
  const readString = (): string | undefined => {
    STRING.lastIndex = i;
    const m = STRING.exec(text);
    if (!m) return undefined;
    i = STRING.lastIndex;
    return JSON.parse(m[0]) as string;
  };
  // after a complete value: advance the parent's state
  const valueDone = () => {
    const top = stack[stack.length - 1];
    if (!top) done = true;
    else top.state = 'comma';
  };
  for (;;) {
    skipWs();
    const top = stack[stack.length - 1];
    if (done) return i < text.length ? fail(`unexpected ${tokenName()} after the JSON value`) : undefined;
    if (top?.kind === 'obj' && top.state === 'key') {
      if (text[i] === '}' && top.key === undefined) {
        i++;
        stack.pop();
        valueDone();
        continue;
      }
      if (text[i] !== '"') return fail(`expected a property name, found ${tokenName()}`);
      const k = readString();
      if (k === undefined) return fail('invalid string');
      top.key = k;
      top.state = 'colon';
      continue;
    }
    if (top?.kind === 'obj' && top.state === 'colon') {
      if (text[i] !== ':') return fail(`expected ':', found ${tokenName()}`);
      i++;
      top.state = 'value';
      continue;
    }
    if (top && top.state === 'comma') {
      const close = top.kind === 'obj' ? '}' : ']';
      if (text[i] === close) {
        i++;
        stack.pop();
        valueDone();
        continue;
      }
      if (text[i] !== ',') return fail(`expected ',' or '${close}', found ${tokenName()}`);
      i++;
      if (top.kind === 'obj') top.state = 'key';
      else {
        top.index++;
        top.state = 'value';
      }
      continue;
    }
    // a value is expected (top level, array element or object member)
    const c = text[i];
    if (c === ']' && top?.kind === 'arr' && top.index === 0) {
      i++;
      stack.pop();
      valueDone();
      continue;
    }
    if (c === '{') {
      i++;
      stack.push({ kind: 'obj', state: 'key' });
      continue;
    }
    if (c === '[') {
      i++;
      stack.push({ kind: 'arr', index: 0, state: 'value' });
      continue;
    }
    if (c === '"') {
      if (readString() === undefined) return fail('invalid string');
      valueDone();
      continue;
    }
    let matched = false;
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        matched = true;
        break;
      }
    }
    if (!matched) {
      NUMBER.lastIndex = i;
      if (NUMBER.exec(text)) {
        i = NUMBER.lastIndex;
        matched = true;
      }
    }
    if (!matched) return fail(`expected a value, found ${tokenName()}`);
    valueDone();
  }
}
