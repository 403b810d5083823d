/**
 * The subset of Kubernetes JSONPath templates kube-bench definitions use: `{.a.b}`,
 * `{.a['b.c']}`, `{.a[0]}`, `{range .list[:]}{}{','}{end}` and literal text.
 * @module
 */
import { VigilError } from '../../core/index.ts';

type Node = { lit: string } | { path: string[] } | { range: string[]; body: Node[] };

function parsePath(expr: string, tpl: string): string[] {
  const e = expr.trim();
  if (e === '' || e === '@') return [];
  if (!e.startsWith('.'))
    throw new VigilError(
      'BENCH_BAD_JSONPATH',
      `unsupported JSONPath expression '${expr}' in '${tpl}'`,
    );
  const out: string[] = [];
  const re = /\.([^.[\]]+)|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]|\[(\d+|:|\*)\]/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < e.length && (m = re.exec(e))) {
    pos = re.lastIndex;
    const seg = m[1] ?? m[2] ?? m[3] ?? m[4]!;
    if (seg !== ':' && seg !== '*') out.push(seg);
  }
  if (pos !== e.length)
    throw new VigilError('BENCH_BAD_JSONPATH', `cannot parse JSONPath '${expr}' in '${tpl}'`);
  return out;
}

function parseTemplate(tpl: string): Node[] {
  const nodes: Node[] = [];
  const stack: { range: string[]; body: Node[] }[] = [];
  const push = (n: Node) => (stack.length ? stack[stack.length - 1]!.body : nodes).push(n);
  let i = 0;
  while (i < tpl.length) {
    const open = tpl.indexOf('{', i);
    if (open < 0) {
      push({ lit: tpl.slice(i) });
      break;
    }
    if (open > i) push({ lit: tpl.slice(i, open) });
    const close = tpl.indexOf('}', open);
    if (close < 0) throw new VigilError('BENCH_BAD_JSONPATH', `unclosed { in JSONPath '${tpl}'`);
    const inner = tpl.slice(open + 1, close).trim();
    i = close + 1;
    const q = /^'(.*)'$|^"(.*)"$/.exec(inner);
    if (q) push({ lit: q[1] ?? q[2]! });
    else if (inner.startsWith('range ')) {
      const r = { range: parsePath(inner.slice(6), tpl), body: [] as Node[] };
      push(r);
      stack.push(r);
    } else if (inner === 'end') {
      if (!stack.pop())
        throw new VigilError('BENCH_BAD_JSONPATH', `{end} without {range} in '${tpl}'`);
    } else push({ path: parsePath(inner, tpl) });
  }
  if (stack.length) throw new VigilError('BENCH_BAD_JSONPATH', `{range} without {end} in '${tpl}'`);
  return nodes;
}

function lookup(v: unknown, path: string[]): unknown {
  let cur = v;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur =
      Array.isArray(cur) && /^\d+$/.test(seg)
        ? cur[Number(seg)]
        : (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function show(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function render(nodes: Node[], data: unknown): string {
  let out = '';
  for (const n of nodes) {
    if ('lit' in n) out += n.lit;
    else if ('path' in n) out += show(lookup(data, n.path));
    else {
      const list = lookup(data, n.range);
      if (Array.isArray(list)) for (const item of list) out += render(n.body, item);
    }
  }
  return out;
}

/** Evaluates a JSONPath template against parsed data; missing keys render as ''. */
export function evalJsonPath(template: string, data: unknown): string {
  return render(parseTemplate(template), data);
}
