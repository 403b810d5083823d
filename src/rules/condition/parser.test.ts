import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCondition, formatCondition, ConditionSyntaxError, SUPPORTED_OPERATORS, walkExpr } from './index.ts';
import type { AnyNode } from './walk.ts';
import type { Expr } from './ast.ts';

function syntaxError(s: string, opts?: { maxDepth?: number }): ConditionSyntaxError {
  try {
    parseCondition(s, opts);
  } catch (e) {
    assert.ok(e instanceof ConditionSyntaxError, String(e));
    return e;
  }
  assert.fail(`expected a syntax error for ${JSON.stringify(s)}`);
}

/** The node kinds with offset/line/column in pre-order, like libsinsp's position test visitor. */
function positions(e: Expr): string {
  const out: string[] = [];
  walkExpr(e, (n: AnyNode) => {
    const name = n.kind === 'transformer-list' ? 'transformer_list' : n.kind;
    out.push(`${name}${n.pos.offset} ${n.pos.line} ${n.pos.column}`);
    return n.kind !== 'list'; // libsinsp lists hold plain strings
  });
  return out.join('');
}

test('operators: all 20 are supported and parse', () => {
  assert.equal(SUPPORTED_OPERATORS.length, 20);
  for (const op of SUPPORTED_OPERATORS) {
    const rhs = op === 'exists' ? '' : ['in', 'intersects', 'pmatch'].includes(op) ? ' (a, b)' : op.match(/[<>]/) ? ' 1' : ' x';
    const e = parseCondition(`a.b ${op}${rhs}`);
    assert.equal(e.kind === 'unary' || e.kind === 'binary' ? e.op : '', op);
  }
});

test('precedence: or < and < not', () => {
  assert.equal(formatCondition(parseCondition('a or b and not c')), '(a or (b and not c))');
  assert.equal(formatCondition(parseCondition('not a.b=1 and c or d')), '((not a.b = 1 and c) or d)');
  assert.equal(formatCondition(parseCondition('not not a')), 'a');
  assert.equal(formatCondition(parseCondition('a and(b or c)')), '(a and (b or c))');
});

test('modifiers, lists and transformers', () => {
  assert.equal(formatCondition(parseCondition('proc.name startswith oneof (a,"b c")')), 'proc.name startswith oneof (a, "b c")');
  assert.equal(formatCondition(parseCondition('proc.name in ()')), 'proc.name in ()');
  assert.equal(formatCondition(parseCondition('join("-", (fd.name, "x", 12)) = a')), 'join(-,(fd.name,x,12)) = a');
  assert.equal(formatCondition(parseCondition('proc.name = val(proc.pname)')), 'proc.name = val(proc.pname)');
  assert.equal(formatCondition(parseCondition('getopt(proc.args, "nt:")[t] = 1')), 'getopt(proc.args,nt:)[t] = 1');
  assert.equal(formatCondition(parseCondition('evt.arg[""] = 1')), 'evt.arg[""] = 1');
  const e = parseCondition('toupper(fd.name)[x] = foo');
  assert.ok(e.kind === 'binary' && e.left.kind === 'transformer' && e.left.arg === 'x');
});

test('quoted strings use exactly libsinsp escapes', () => {
  const val = (s: string): string => {
    const e = parseCondition(`a.b = ${s}`);
    assert.ok(e.kind === 'binary' && e.right.kind === 'value');
    return e.right.value;
  };
  assert.equal(val(String.raw`"a\tb\n\r\b\f\\\/"`), 'a\tb\n\r\b\f\\/');
  assert.equal(val(String.raw`"\x41\x7a"`), 'Az');
  assert.equal(val(String.raw`"say \"hi\""`), 'say "hi"');
  assert.equal(val(String.raw`'it\'s'`), "it's");
  assert.equal(val(String.raw`"a\ b"`), 'a\\b'); // libsinsp's compatibility quirk
  assert.match(syntaxError(String.raw`a.b = "\'"`).message, /invalid \\' escape/);
  assert.match(syntaxError(String.raw`a.b = '\"'`).message, /invalid \\" escape/);
  assert.match(syntaxError(String.raw`a.b = "\q"`).message, /unsupported string escape sequence: \\q/);
  assert.match(syntaxError(String.raw`a.b = "\xZZ"`).message, /invalid hex char escape sequence: ZZ/);
  assert.match(syntaxError(String.raw`a.b = "\x4"`).message, /truncated hex/);
});

test('canonical quoting follows libsinsp escape_str', () => {
  assert.equal(formatCondition(parseCondition(`a.b = 'x y'`)), 'a.b = "x y"');
  assert.equal(formatCondition(parseCondition(`a.b = 'x"y'`)), String.raw`a.b = "x\"y"`);
  assert.equal(formatCondition(parseCondition(`a.b = "x=y"`)), 'a.b = "x=y"');
  assert.equal(formatCondition(parseCondition(`a.b = "a,b"`)), 'a.b = a,b');
});

test('positions match libsinsp on every node', () => {
  assert.equal(positions(parseCondition('proc.aname[3]=nginx')), 'binary0 1 1field0 1 1value14 1 15');
  assert.equal(positions(parseCondition('proc.name in ( nginx, apache)')), 'binary0 1 1field0 1 1list13 1 14');
  assert.equal(positions(parseCondition('not proc.name=nginx')), 'not0 1 1binary4 1 5field4 1 5value14 1 15');
  assert.equal(
    positions(parseCondition('(proc.aname[2]=nginx and evt.type in (connect,accept)) or (not fd.name exists) or (proc.name=apache and evt.type=switch)')),
    'or0 1 1and1 1 2binary1 1 2field1 1 2value15 1 16binary25 1 26field25 1 26list37 1 38not59 1 60unary63 1 64field63 1 64' +
      'and83 1 84binary83 1 84field83 1 84value93 1 94binary104 1 105field104 1 105value113 1 114',
  );
  const e = parseCondition('a \n and \n  b');
  assert.ok(e.kind === 'and');
  assert.deepEqual(e.children[1]!.pos, { offset: 11, line: 3, column: 3 });
});

test('syntax errors carry code and position', () => {
  const e = syntaxError('evt.type = open and\nproc.name ===');
  assert.equal(e.code, 'CONDITION_SYNTAX');
  assert.equal(e.line, 2);
  assert.equal(e.diagnostic.line, 2);
  assert.match(e.message, /expected a string value/);
  assert.equal(syntaxError('').message, 'filter input string is empty');
  assert.equal(syntaxError('a b').message, `unexpected token after 'a', expecting 'or', 'and'`);
  assert.equal(syntaxError('a b').offset, 2);
  assert.equal(syntaxError('a andb').message, `expected blank or '(' after 'and'`);
});

test('deep nesting gives the depth error, never a stack overflow', () => {
  const deep = '('.repeat(10_000) + 'a' + ')'.repeat(10_000);
  assert.equal(syntaxError(deep).message, 'exceeded max depth limit of 1000');
  assert.equal(syntaxError('not('.repeat(10_000) + 'a' + ')'.repeat(10_000), { maxDepth: 100 }).message, 'exceeded max depth limit of 100');
  // A limit above what the JS stack can hold still ends in the same clean error.
  assert.match(syntaxError('('.repeat(200_000) + 'a' + ')'.repeat(200_000), { maxDepth: 10_000_000 }).message, /exceeded max depth limit/);
  assert.ok(parseCondition('('.repeat(150) + 'a' + ')'.repeat(150)));
});

test('a 10 MB condition parses (linear work)', () => {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 10 * 1024 * 1024; i++) {
    const p = `proc.name = "n${i}" and fd.name startswith /tmp/${i}`;
    parts.push(p);
    size += p.length + 4;
  }
  const text = parts.join(' or ');
  const e = parseCondition(text);
  assert.ok(e.kind === 'or' && e.children.length === parts.length);
  // An unterminated quote at the end of a huge input is an error, not a hang.
  assert.equal(syntaxError(text + ' or a.b = "x').code, 'CONDITION_SYNTAX');
  assert.equal(syntaxError('a.b = ' + 'x'.repeat(10 * 1024 * 1024) + ')').code, 'CONDITION_SYNTAX');
});

test('pathological megabyte inputs end in a result or a short error', () => {
  assert.ok(parseCondition('not '.repeat(1_000_000) + 'a'));
  assert.ok(syntaxError('a.'.repeat(2_000_000)).message.startsWith('expected a valid check operator'));
  const long = syntaxError('a'.repeat(5_000_000) + ' b');
  assert.ok(long.message.length < 200);
  assert.equal(syntaxError('a.b in (' + 'x,'.repeat(1_000_000)).message, 'expected a string value');
  assert.equal(syntaxError('a.b = "' + '\\"'.repeat(1_000_000)).code, 'CONDITION_SYNTAX');
});
