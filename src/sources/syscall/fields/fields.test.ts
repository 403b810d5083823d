import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldTables, knownEventType, rawArgType, SYSCALL_FIELD_DEFS } from '../../index.ts';

const syscall = fieldTables().get('syscall')!;

test('plain names resolve with libsinsp types', () => {
  const types: Record<string, string> = {
    'proc.pid': 'INT64', 'fd.num': 'INT64', 'fd.sport': 'PORT', 'fd.sip': 'IPADDR', 'fd.net': 'IPNET',
    'evt.rawres': 'INT64', 'proc.aname': 'CHARBUF', 'proc.tty': 'UINT32', 'user.loginuid': 'INT64',
    'evt.dir': 'CHARBUF', 'evt.buffer': 'BYTEBUF', 'thread.cpu': 'DOUBLE', 'container.start_ts': 'ABSTIME',
    'proc.pid.ts': 'RELTIME', 'fd.dev': 'INT32', 'evt.cpu': 'INT16', 'user.uid': 'UINT32',
  };
  for (const [n, t] of Object.entries(types)) assert.equal(syscall.lookup(n)?.def.type, t, n);
});

test('argument forms: evt.arg.NAME, evt.arg[N], proc.aname[N], container.mount.dest[path], labels', () => {
  const a = syscall.lookup('evt.arg.flags');
  assert.equal(a?.def.name, 'evt.arg');
  assert.equal(a?.impliedArg, 'flags');
  assert.equal(syscall.lookup('evt.arg')?.def.arg, 'required-key'); // evt.arg[0] is parsed as field + arg
  assert.equal(syscall.lookup('proc.aname')?.def.arg, 'optional-index');
  assert.equal(syscall.lookup('container.mount.dest')?.def.arg, 'required-key');
  assert.deepEqual(syscall.lookup('container.label.io.kubernetes.pod.name')?.impliedArg, 'io.kubernetes.pod.name');
  assert.equal(syscall.lookup('thread.cgroup.cpuacct')?.def.name, 'thread.cgroup');
  assert.equal(syscall.lookup('k8s.pod.label.app')?.def.name, 'k8s.pod.label');
});

test('evt.rawarg.NAME takes the type of the named parameter; unknown parameter names are unknown', () => {
  assert.equal(rawArgType('res'), 'ERRNO');
  assert.equal(syscall.lookup('evt.rawarg.res')?.def.type, 'ERRNO');
  assert.equal(syscall.lookup('evt.rawarg.res')?.impliedArg, 'res');
  assert.equal(syscall.lookup('evt.rawarg.name')?.def.type, 'FSPATH');
  assert.equal(syscall.lookup('evt.rawarg.no_such_param'), undefined);
});

test('unknown names and dotted forms of fields without them are undefined', () => {
  for (const n of ['proc.nme', 'evt', 'foo.bar', 'proc.name.x', 'proc.aname.2', 'fd.name.', 'evt.arg.', 'ka.verb', '']) {
    assert.equal(syscall.lookup(n), undefined, n);
  }
});

test('deprecated fields are flagged; plugin fields are not', () => {
  assert.equal(syscall.lookup('evt.dir')?.def.deprecated, true);
  assert.equal(syscall.lookup('evt.latency')?.def.deprecated, true);
  assert.notEqual(syscall.lookup('proc.name')?.def.deprecated, true);
  assert.notEqual(syscall.lookup('container.healthcheck')?.def.deprecated, true);
});

test('evt.type values: event and syscall names pass, others say unknown event type', () => {
  const v = syscall.lookup('evt.type')!.def.validateValue!;
  for (const t of ['open', 'openat', 'openat2', 'execve', 'container', 'procexit', 'memfd_create', 'ptrace', 'finit_module', 'switch', 'mprotect', 'socketcall']) {
    assert.equal(v(t), undefined, t);
    assert.ok(knownEventType(t));
  }
  assert.equal(v('foo'), 'unknown event type foo');
  assert.equal(v('OPEN'), 'unknown event type OPEN');
  assert.equal(v('NA'), 'unknown event type NA');
});

test('definitions are keyed by name and carry no extractor of their own', () => {
  assert.equal(SYSCALL_FIELD_DEFS['proc.name']?.name, 'proc.name');
  assert.equal(SYSCALL_FIELD_DEFS['proc.name']?.extract, undefined);
  // the door's table attaches the syscall extractors by name
  assert.equal(typeof syscall.lookup('proc.name')?.def.extract, 'function');
  assert.equal(typeof syscall.lookup('evt.rawarg.res')?.def.extract, 'function');
  const names = syscall.fields.map((f) => f.name);
  assert.equal(new Set(names).size, names.length, 'no duplicate field names');
});

test('the rules loader compiles the argument forms against these tables', async () => {
  const { loadRules } = await import('../../../rules/index.ts');
  const rule = (name: string, cond: string, source = 'syscall') =>
    `- rule: ${name}\n  desc: d\n  condition: ${cond}\n  output: o %proc.name\n  priority: INFO\n  source: ${source}\n`;
  const ok = (cond: string, source = 'syscall') => {
    const yaml = source === 'syscall' ? rule('r', cond) : rule('r', cond, source).replace('%proc.name', '%ka.verb');
    const r = loadRules([{ name: 'x.yaml', content: yaml }], { fieldTables: fieldTables() });
    return r;
  };
  for (const c of ['evt.type = open and evt.arg.flags contains O_TRUNC', 'evt.type = open and evt.arg[0] = 3', 'proc.aname[2] = bash',
    'container.mount.dest[/var/run/docker.sock] != ""', 'evt.rawarg.res < 0', 'proc.aname in (bash, sh)']) {
    assert.deepEqual(ok(c).errors, [], c);
  }
  for (const c of ['ka.uri.param[command] = ls', 'jevt.value[/a/b] = x', 'ka.req.pod.containers.privileged intersects (true)']) {
    assert.deepEqual(ok(c, 'k8s_audit').errors, [], c);
  }
  assert.match(ok('evt.type = foo').errors[0]?.message ?? '', /unknown event type foo/);
  assert.match(ok('proc.nme = x').errors[0]?.message ?? '', /nonexistent field proc.nme/);
  assert.match(ok('evt.rawarg.res contains 1').errors[0]?.message ?? '', /not supported/);
});
