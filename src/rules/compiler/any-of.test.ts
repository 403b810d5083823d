import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCondition } from '../condition/index.ts';
import type { FieldTable } from '../fields.ts';
import { compilePredicate } from './index.ts';
import { compilePredicateClosures } from './compile.ts';

/** An event: the process's own name and pid, and its ancestors' (parent first). */
interface Ev { name: string; pid: number; anc: { name: string; pid: number }[]; ports?: number[] }

// proc.aname / proc.apid as libsinsp has them: [N] picks one level, no level = own value when
// printed, any ancestor in conditions.
const table: FieldTable<Ev> = (() => {
  const level = (e: Ev, arg?: string) => (arg === undefined || arg === '0' ? e : e.anc[Number(arg) - 1]);
  const fields = [
    { name: 'proc.aname', type: 'CHARBUF', desc: '', arg: 'optional-index', extract: (e: Ev, a?: string) => level(e, a)?.name, anyOf: (e: Ev) => e.anc.map((x) => x.name) },
    { name: 'proc.apid', type: 'INT64', desc: '', arg: 'optional-index', extract: (e: Ev, a?: string) => level(e, a)?.pid, anyOf: (e: Ev) => e.anc.map((x) => x.pid) },
    { name: 'proc.name', type: 'CHARBUF', desc: '', arg: 'none', extract: (e: Ev) => e.name },
    // both ends of a connection, as fd.port: != means neither end
    { name: 'fd.port', type: 'PORT', desc: '', arg: 'none', extract: (e: Ev) => e.ports?.[1], anyOf: (e: Ev) => e.ports, anyOfNotEqual: 'all' },
  ] as FieldTable<Ev>['fields'];
  const byName = new Map(fields.map((f) => [f.name, f]));
  return { source: 'test', fields, lookup: (n) => (byName.has(n) ? { def: byName.get(n)! } : undefined) };
})();

const ev: Ev = { name: 'bash', pid: 30, anc: [{ name: 'sshd', pid: 20 }, { name: 'systemd', pid: 1 }] };
const conn: Ev = { ...ev, ports: [40000, 22] };
const orphan: Ev = { name: 'init', pid: 1, anc: [] };

for (const [label, compile] of [['generated', compilePredicate], ['closures', compilePredicateClosures]] as const) {
  const m = (cond: string, e: Ev = ev) => compile(parseCondition(cond), table)(e);

  test(`${label}: a field without a level matches when any ancestor does (not the process itself)`, () => {
    assert.equal(m('proc.aname = sshd'), true);
    assert.equal(m('proc.aname = systemd'), true);
    assert.equal(m('proc.aname = bash'), false); // own name is not an ancestor
    assert.equal(m('proc.aname in (nginx, sshd)'), true);
    assert.equal(m('proc.aname in (nginx, httpd)'), false);
    assert.equal(m('proc.aname startswith sys'), true);
    assert.equal(m('proc.aname glob "ss*"'), true);
    assert.equal(m('proc.apid = 1'), true);
    assert.equal(m('proc.apid = 30'), false);
    assert.equal(m('proc.apid > 19'), true);
    assert.equal(m('proc.apid in (5, 20)'), true);
  });

  test(`${label}: negations: != is "some ancestor differs", not = is "no ancestor is"`, () => {
    assert.equal(m('proc.aname != sshd'), true); // systemd differs
    assert.equal(m('not proc.aname = sshd'), false);
    assert.equal(m('not proc.aname in (nginx)'), true);
    assert.equal(m('proc.aname != sshd', { ...ev, anc: [{ name: 'sshd', pid: 2 }] }), false);
  });

  test(`${label}: no ancestors: every comparison is false; exists needs one ancestor`, () => {
    assert.equal(m('proc.aname = init', orphan), false);
    assert.equal(m('proc.aname != x', orphan), false);
    assert.equal(m('proc.aname exists', orphan), false);
    assert.equal(m('proc.aname exists'), true);
  });

  test(`${label}: with a level the field is one value; transformers read the own value`, () => {
    assert.equal(m('proc.aname[1] = sshd'), true);
    assert.equal(m('proc.aname[2] = sshd'), false);
    assert.equal(m('proc.aname[0] = bash'), true);
    assert.equal(m('toupper(proc.aname) = BASH'), true);
    assert.equal(m('proc.aname = val(proc.name)'), false);
    assert.equal(m('proc.aname[0] = val(proc.name)'), true);
    assert.equal(m('proc.aname = sshd and proc.name = bash'), true);
  });
}

for (const [label, compile] of [['generated', compilePredicate], ['closures', compilePredicateClosures]] as const) {
  const m = (cond: string, e: Ev = conn) => compile(parseCondition(cond), table)(e);
  test(`${label}: both-ends fields: = and in match either end, != needs every end to differ`, () => {
    assert.equal(m('fd.port = 22'), true);
    assert.equal(m('fd.port = 40000'), true);
    assert.equal(m('fd.port in (80, 22)'), true);
    assert.equal(m('fd.port != 22'), false);
    assert.equal(m('fd.port != 80'), true);
    assert.equal(m('fd.port > 30000'), true);
    assert.equal(m('fd.port != 80', ev), false); // no socket: nothing to compare
  });
}
