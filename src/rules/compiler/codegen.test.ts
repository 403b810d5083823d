import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCondition, formatCondition } from '../condition/index.ts';
import { compilePredicate } from './index.ts';
import { compilePredicateClosures } from './compile.ts';
import { testTable, type TestEvent } from './test-table.ts';

const table = testTable({ 'proc.name': 'CHARBUF', 'proc.pid': 'INT64', 'fd.name': 'CHARBUF' });

// A small deterministic generator, so failures reproduce.
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

test('generated predicates agree with the closure predicates on random conditions and events', () => {
  const r = rng(7);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const atom = (): string => pick([
    () => `proc.name = ${pick(['a', 'b', 'c'])}`,
    () => `proc.name != ${pick(['a', 'b'])}`,
    () => `proc.name in (${pick(['a', 'b, c', ''])})`,
    () => `proc.pid = ${pick(['1', '2'])}`,
    () => `proc.pid != 1`,
    () => `proc.pid > 1`,
    () => `fd.name exists`,
    () => `fd.name startswith /t`,
  ])();
  const gen = (d: number): string => {
    if (d <= 0 || r() < 0.3) return atom();
    const k = pick(['and', 'or', 'not']);
    if (k === 'not') return `not (${gen(d - 1)})`;
    return `(${gen(d - 1)} ${k} ${gen(d - 1)})`;
  };
  const events: TestEvent[] = [];
  for (const n of ['a', 'b', 'c', undefined, 7]) {
    for (const p of [1, 2, undefined, '2', 3n]) {
      for (const f of ['/tmp/x', undefined]) events.push({ 'proc.name': n, 'proc.pid': p, 'fd.name': f });
    }
  }
  for (let i = 0; i < 300; i++) {
    const expr = parseCondition(gen(4));
    const a = compilePredicate(expr, table);
    const b = compilePredicateClosures(expr, table);
    for (const e of events) assert.equal(a(e), b(e), `${formatCondition(expr)} on ${JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`);
  }
});

test('literals with quotes, backslashes and line separators survive code generation', () => {
  for (const s of ['a"b', "a'b", 'a\\b', 'a\nb', 'a\u2028b', '${x}', '`', '*/ x /*']) {
    const expr = { kind: 'binary', op: '=', pos: { offset: 0, line: 1, column: 1 },
      left: { kind: 'field', field: 'proc.name', pos: { offset: 0, line: 1, column: 1 } },
      right: { kind: 'value', value: s, pos: { offset: 0, line: 1, column: 1 } } } as const;
    const p = compilePredicate(expr, table);
    assert.equal(p({ 'proc.name': s }), true, JSON.stringify(s));
    assert.equal(p({ 'proc.name': s + 'x' }), false);
  }
});
