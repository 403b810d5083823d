import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCondition } from '../condition/index.ts';
import { checkCondition, compilePredicate, eventTypes } from './index.ts';
import { testTable, type TestEvent } from './test-table.ts';
import { VigilError } from '../../core/index.ts';

const table = testTable({
  'proc.name': 'CHARBUF', 'proc.pname': 'CHARBUF', 'fd.name': 'FSPATH', 'proc.pid': 'INT64', 'evt.num': 'UINT64',
  'evt.is_io': 'BOOL', 'evt.buffer': 'BYTEBUF', 'fd.ip': 'IPADDR', 'fd.net': 'IPNET', 'evt.type': 'CHARBUF',
  'ka.req.pod.containers.image': ['CHARBUF', 'list'], 'proc.args': ['CHARBUF', 'list'], 'proc.aname': ['CHARBUF', 'arg'],
  'evt.dir': 'CHARBUF', 'ka.user.name': 'CHARBUF', 'evt.source': 'CHARBUF',
});

function match(cond: string, ev: TestEvent): boolean {
  return compilePredicate(parseCondition(cond), table)(ev);
}

const ev: TestEvent = {
  'proc.name': 'Bash', 'proc.pname': 'sshd', 'fd.name': '/etc/shadow', 'proc.pid': 42, 'evt.num': 2n ** 60n,
  'evt.is_io': true, 'evt.buffer': Buffer.from('HTTP/1.1 200'), 'fd.ip': '10.1.2.3', 'fd.net': '192.168.1.7',
  'ka.req.pod.containers.image': ['nginx', 'redis'], 'proc.args': ['-n', '5', '-t', 'x', 'file'], 'proc.aname[2]': 'init',
};

test('string operators', () => {
  assert.equal(match('proc.name = Bash', ev), true);
  assert.equal(match('proc.name == bash', ev), false);
  assert.equal(match('proc.name != bash', ev), true);
  assert.equal(match('proc.name contains as', ev), true);
  assert.equal(match('proc.name icontains BA', ev), true);
  assert.equal(match('proc.name startswith Ba', ev), true);
  assert.equal(match('proc.name endswith sh', ev), true);
  assert.equal(match('proc.name > 1', ev), true); // strcmp order
  assert.equal(match('fd.name glob /etc/*', ev), true);
  assert.equal(match('fd.name glob "/etc/sh?dow"', ev), true);
  assert.equal(match('fd.name glob /etc/[a-r]*', ev), false);
  assert.equal(match('proc.name iglob b*', ev), true);
  assert.equal(match('fd.name pmatch (/etc)', ev), true);
  assert.equal(match('fd.name pmatch (/et)', ev), false);
  assert.equal(match('fd.name pmatch (/usr, /e*)', ev), true);
  assert.equal(match('fd.name regex "/etc/s.*"', ev), true);
  assert.equal(match('fd.name regex "etc"', ev), false); // full match, not search
  assert.equal(match('proc.name in (sh, Bash)', ev), true);
  assert.equal(match('proc.name in ()', ev), false);
});

test('missing values make every comparison false, exists tests presence', () => {
  const empty: TestEvent = {};
  assert.equal(match('proc.name != x', empty), false);
  assert.equal(match('proc.name = x', empty), false);
  assert.equal(match('not proc.name exists', empty), true);
  assert.equal(match('proc.name exists', ev), true);
});

test('numeric, bool, buffer and IP operators', () => {
  assert.equal(match('proc.pid = 42', ev), true);
  assert.equal(match('proc.pid = 0x2a', ev), true);
  assert.equal(match('proc.pid > 41 and proc.pid <= 42', ev), true);
  assert.equal(match('proc.pid in (1, 42)', ev), true);
  assert.equal(match('evt.num = 1152921504606846976', ev), true);
  assert.equal(match('evt.num > 5', ev), true);
  assert.equal(match('evt.is_io = true', ev), true);
  assert.equal(match('evt.is_io != true', ev), false);
  assert.equal(match('evt.buffer contains HTTP', ev), true);
  assert.equal(match('evt.buffer bstartswith 48545450', ev), true);
  assert.equal(match('evt.buffer bcontains 323030', ev), true);
  assert.equal(match('evt.buffer bcontains 333030', ev), false);
  assert.equal(match('fd.ip = 10.1.2.3', ev), true);
  assert.equal(match('fd.ip in (10.1.2.4, 10.1.2.3)', ev), true);
  assert.equal(match('fd.net = 192.168.0.0/16', ev), true);
  assert.equal(match('fd.net in (10.0.0.0/8, 172.16.0.0/12)', ev), false);
  assert.equal(match('fd.ip = ::1', { 'fd.ip': '::1' }), true);
  assert.equal(match('fd.ip = 10.1.2.3', { 'fd.ip': (0xffffn << 32n) + 0x0a010203n }), true); // IPv4-mapped
  assert.equal(match('fd.net = 10.0.0.0/8', { 'fd.net': '::ffff:10.9.9.9' }), true);
  assert.equal(match('fd.net = "fe80::/10"', { 'fd.net': 'fe80::1' }), true);
});

test('list fields: in means all, intersects means any', () => {
  assert.equal(match('ka.req.pod.containers.image in (nginx, redis, mysql)', ev), true);
  assert.equal(match('ka.req.pod.containers.image in (nginx)', ev), false);
  assert.equal(match('ka.req.pod.containers.image intersects (nginx)', ev), true);
  assert.equal(match('ka.req.pod.containers.image intersects (mysql)', ev), false);
});

test('modifiers oneof / anyof / allof', () => {
  assert.equal(match('proc.name startswith anyof (x, B)', ev), true);
  assert.equal(match('proc.name startswith allof (B, Ba)', ev), true);
  assert.equal(match('proc.name startswith oneof (B, Ba)', ev), false);
  assert.equal(match('proc.name startswith oneof (B, x)', ev), true);
  assert.equal(match('proc.name == anyof (a, Bash)', ev), true);
  assert.equal(match('proc.name != allof (a, b)', ev), true);
  assert.equal(match('proc.name == oneof ()', ev), false);
});

test('fields and transformers on the right and left', () => {
  assert.equal(match('proc.name = val(proc.pname)', ev), false);
  assert.equal(match('proc.name = val(proc.name)', ev), true);
  assert.equal(match('tolower(proc.name) = bash', ev), true);
  assert.equal(match('toupper(proc.name) = toupper(proc.name)', ev), true);
  assert.equal(match('basename(fd.name) = shadow', ev), true);
  assert.equal(match('len(fd.name) = 11', ev), true);
  assert.equal(match('len(proc.args) = 5', ev), true);
  assert.equal(match('b64(proc.name) = hello', { 'proc.name': 'aGVsbG8=' }), true);
  assert.equal(match('join("-", (proc.name, proc.pname)) = Bash-sshd', ev), true);
  assert.equal(match('concat(proc.name, proc.pname) = Bashsshd', ev), true);
  assert.equal(match('getopt(proc.args, "n:t:")[t] = x', ev), true);
  assert.equal(match('proc.aname[2] = init', ev), true);
});

test('type errors and unknown fields', () => {
  const errs = (c: string): string[] => checkCondition(parseCondition(c), table).filter((d) => d.severity === 'error').map((d) => d.message);
  assert.match(errs('proc.nme = x')[0]!, /nonexistent field proc.nme/);
  assert.match(errs('proc.pid contains 1')[0]!, /'contains' operator not supported for numeric filters/);
  assert.match(errs('proc.pid = abc')[0]!, /not a valid number/);
  assert.match(errs('evt.is_io = yes')[0]!, /unrecognized boolean value yes/);
  assert.match(errs('fd.ip = 300.1.1.1')[0]!, /unrecognized IP address/);
  assert.match(errs('evt.buffer bcontains xyz')[0]!, /hex strings only/);
  assert.match(errs('ka.req.pod.containers.image = a')[0]!, /'=' operator not supported list filters/);
  assert.match(errs('some_macro')[0]!, /Undefined macro 'some_macro'/);
  assert.match(errs('fd.name regex "("')[0]!, /invalid regex/);
  assert.match(errs('fd.name regex "(?=a)a"')[0]!, /RE2/);
  assert.match(errs('fd.name regex "(a)\\\\1"')[0]!, /RE2/);
  assert.equal(errs('proc.nme = x and proc.pid contains 1').length, 2);
  const d = checkCondition(parseCondition('proc.name = a and\n  proc.nme = x'), table)[0]!;
  assert.equal(d.code, 'LOAD_ERR_COMPILE_CONDITION');
  assert.equal(d.line, 2);
  assert.throws(() => compilePredicate(parseCondition('proc.nme = x'), table), (e: unknown) => e instanceof VigilError && e.code === 'LOAD_ERR_COMPILE_CONDITION');
});

test('the field table validates literals (e.g. unknown event types)', () => {
  const t = testTable({ 'evt.type': 'CHARBUF' });
  t.fields[0]!.validateValue = (v) => (['open', 'execve'].includes(v) ? undefined : `unknown event type ${v}`);
  const errs = checkCondition(parseCondition('evt.type in (open, foo) or evt.type = bar'), t).map((d) => d.message);
  assert.deepEqual(errs, ['unknown event type foo', 'unknown event type bar']);
});

test('warnings', () => {
  const warns = (c: string): string[] => checkCondition(parseCondition(c), table).filter((d) => d.severity === 'warning').map((d) => d.code);
  assert.deepEqual(warns('ka.user.name = "<NA>"'), ['LOAD_UNSAFE_NA_CHECK']);
  assert.deepEqual(warns('evt.dir = "<"'), ['LOAD_DEPRECATED_ITEM']);
  assert.deepEqual(warns('evt.source regex ^syscall.*'), ['LOAD_COMPILE_CONDITION']);
  assert.deepEqual(warns('evt.source regex s.*l'), []);
  assert.deepEqual(warns('proc.name = proc.pname'), ['LOAD_COMPILE_CONDITION']);
  assert.deepEqual(warns('proc.name = "toupper( proc.pname)"'), ['LOAD_COMPILE_CONDITION']);
});

test('eventTypes follows and/or/not/!= semantics', () => {
  const et = (c: string, u?: string[]): string[] | undefined => {
    const s = eventTypes(parseCondition(c), u);
    return s && [...s].sort();
  };
  assert.deepEqual(et('evt.type = open'), ['open']);
  assert.deepEqual(et('evt.type in (open, openat) and proc.name = x'), ['open', 'openat']);
  assert.deepEqual(et('evt.type = open or evt.type = execve'), ['execve', 'open']);
  assert.deepEqual(et('evt.type in (open, openat) and evt.type = openat'), ['openat']);
  assert.equal(et('proc.name = x'), undefined);
  assert.equal(et('evt.type = open or proc.name = x'), undefined);
  assert.equal(et('evt.type != open'), undefined);
  assert.deepEqual(et('evt.type != open', ['open', 'close', 'read']), ['close', 'read']);
  assert.deepEqual(et('not evt.type in (open, close)', ['open', 'close', 'read']), ['read']);
  assert.deepEqual(et('not (evt.type != open)'), ['open']);
  assert.deepEqual(et('evt.type = open and evt.type = close'), []);
  assert.equal(et('not (evt.type = open and proc.name = x)'), undefined);
});
