import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldTables } from '../index.ts';

const ka = fieldTables().get('k8s_audit')!;

test('k8s_audit argument forms', () => {
  assert.equal(ka.lookup('ka.uri.param')?.def.arg, 'required-key');
  assert.equal(ka.lookup('jevt.value')?.def.arg, 'required-key');
  assert.equal(ka.lookup('ka.req.volume.hostpath')?.def.arg, 'required-key');
  assert.equal(ka.lookup('ka.req.pod.containers.image')?.def.arg, 'optional-index');
  assert.equal(ka.lookup('ka.req.pod.containers.image')?.def.isList, true);
  assert.equal(ka.lookup('ka.req.pod.initContainers.privileged')?.def.isList, true);
  assert.equal(ka.lookup('ka.req.pod.ephemeralContainers.host_port'), undefined);
  assert.equal(ka.lookup('ka.req.pod.initContainers.host_port')?.def.isList, true);
  assert.equal(ka.lookup('ka.verb')?.def.type, 'CHARBUF');
  assert.equal(ka.lookup('ka.user.groups')?.def.arg, 'none');
});

test('k8s_audit unknown names are undefined (no dotted arguments for plugin fields)', () => {
  for (const n of ['ka.nope', 'ka.uri.param.command', 'jevt.value.x', 'proc.name', 'ka']) assert.equal(ka.lookup(n), undefined, n);
  const names = ka.fields.map((f) => f.name);
  assert.equal(new Set(names).size, names.length, 'no duplicate field names');
});
