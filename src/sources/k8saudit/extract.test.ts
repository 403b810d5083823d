import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEvent, Json } from './event.ts';
import { k8sAuditFieldTable } from './table.ts';

const table = k8sAuditFieldTable();
const get = (ev: AuditEvent, name: string, arg?: string) => table.lookup(name)!.def.extract!(ev, arg);
const ev = (obj: Record<string, Json>): AuditEvent => ({ obj: { auditID: 'a1', ...obj }, timeNs: 1_500_000_000_123_456_789n, num: 1 });

const pod = ev({
  verb: 'create',
  requestURI: '/api/v1/namespaces/default/pods/x/exec?command=ls&command=-la&container=c%201&stdin=true',
  user: { username: 'alice', groups: ['system:authenticated', 'dev'] },
  sourceIPs: ['10.0.0.1', '10.0.0.2'],
  objectRef: { resource: 'pods', namespace: 'default', name: 'x' },
  annotations: { 'authorization.k8s.io/decision': 'allow' },
  responseStatus: { code: 201 },
  responseObject: { metadata: { name: 'x' } },
  requestObject: {
    spec: {
      hostNetwork: true,
      securityContext: { runAsUser: 1000 },
      containers: [
        { name: 'a', image: 'nginx:1.25', securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN'] } }, ports: [{ containerPort: 80 }], command: ['sh', '-c', 'x'] },
        { name: 'b', image: 'registry.io/app@sha256:abc', securityContext: { runAsUser: 0 }, ports: [{ containerPort: 81, hostPort: 8081 }] },
      ],
      initContainers: [{ name: 'init', image: 'busybox', securityContext: { privileged: false } }],
      volumes: [{ name: 'v1', hostPath: { path: '/etc' } }, { name: 'v2', secret: { secretName: 's' } }, { name: 'v3', hostPath: { path: '/var/run/docker.sock' } }],
    },
  },
});

test('scalar fields: strings as they are, other JSON as compact text', () => {
  assert.equal(get(pod, 'ka.verb'), 'create');
  assert.equal(get(pod, 'ka.response.code'), '201');
  assert.equal(get(pod, 'ka.req.pod.host_network'), 'true');
  assert.equal(get(pod, 'ka.auth.decision'), 'allow');
  assert.equal(get(pod, 'ka.target.pod.name'), 'x');
  assert.equal(get(pod, 'ka.impuser.name'), undefined);
  assert.deepEqual(get(pod, 'ka.user.groups'), ['system:authenticated', 'dev']);
});

test('ka.uri.param takes the first value, unescaped', () => {
  assert.equal(get(pod, 'ka.uri.param', 'command'), 'ls');
  assert.equal(get(pod, 'ka.uri.param', 'container'), 'c 1');
  assert.equal(get(pod, 'ka.uri.param', 'tty'), undefined);
});

test('container list fields fan out over containers, [N] picks one', () => {
  assert.deepEqual(get(pod, 'ka.req.pod.containers.image'), ['nginx:1.25', 'registry.io/app@sha256:abc']);
  assert.deepEqual(get(pod, 'ka.req.pod.containers.image.repository'), ['nginx', 'registry.io/app']);
  assert.deepEqual(get(pod, 'ka.req.pod.containers.image', '1'), ['registry.io/app@sha256:abc']);
  assert.equal(get(pod, 'ka.req.pod.containers.image', '5'), undefined);
  assert.deepEqual(get(pod, 'ka.req.pod.containers.privileged'), ['true']);
  assert.deepEqual(get(pod, 'ka.req.pod.containers.host_port'), ['80', '8081']);
  assert.deepEqual(get(pod, 'ka.req.pod.containers.eff_run_as_user'), ['1000', '0']);
  assert.deepEqual(get(pod, 'ka.req.pod.containers.add_capabilities'), ['["NET_ADMIN"]']);
  assert.deepEqual(get(pod, 'ka.req.pod.containers.command'), ['sh -c x']);
  assert.deepEqual(get(pod, 'ka.req.pod.initContainers.privileged'), ['false']);
  assert.equal(get(pod, 'ka.req.pod.ephemeralContainers.image'), undefined);
  assert.equal(get(pod, 'ka.req.container.image'), 'nginx:1.25');
  assert.equal(get(pod, 'ka.req.container.privileged'), 'true');
});

test('volumes: hostpath lists, the older hostpath[path] form, volume types', () => {
  assert.deepEqual(get(pod, 'ka.req.pod.volumes.hostpath'), ['/etc', '/var/run/docker.sock']);
  assert.equal(get(pod, 'ka.req.volume.hostpath', '/etc'), 'true');
  assert.equal(get(pod, 'ka.req.volume.hostpath', '/et*'), 'true');
  assert.equal(get(pod, 'ka.req.volume.hostpath', '/proc*'), 'false');
  assert.deepEqual(get(pod, 'ka.req.pod.volumes.volume_type'), ['hostPath', 'secret', 'hostPath']);
});

test('sourceips, bindings and role rules', () => {
  assert.deepEqual(get(pod, 'ka.sourceips'), ['10.0.0.1', '10.0.0.2']);
  assert.deepEqual(get(pod, 'ka.sourceips', '1'), ['10.0.0.2']);
  const rb = ev({ requestObject: { roleRef: { name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'bob' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }, { kind: 'Group', name: 'g' }] } });
  assert.equal(get(rb, 'ka.req.binding.role'), 'cluster-admin');
  assert.deepEqual(get(rb, 'ka.req.binding.subjects.user_names'), ['bob']);
  assert.deepEqual(get(rb, 'ka.req.binding.subjects.serviceaccount_ns_names'), ['ns:sa']);
  assert.deepEqual(get(rb, 'ka.req.binding.subjects.group_names'), ['g']);
  const role = ev({ requestObject: { rules: [{ verbs: ['get', 'list'], resources: ['pods'] }, { verbs: ['*'], resources: ['pods/exec'] }] } });
  assert.deepEqual(get(role, 'ka.req.role.rules.verbs'), ['get', 'list', '*']);
  assert.deepEqual(get(role, 'ka.req.role.rules.resources', '1'), ['pods/exec']);
});

test('jevt.value follows JSON pointers (~0 ~1 escapes, array indexes)', () => {
  assert.equal(get(pod, 'jevt.value', '/annotations/authorization.k8s.io~1decision'), 'allow');
  assert.equal(get(pod, 'jevt.value', '/requestObject/spec/containers/1/name'), 'b');
  assert.equal(get(pod, 'jevt.value', '/responseStatus'), '{"code":201}');
  assert.equal(get(pod, 'jevt.value', '/a~1~0b'), undefined);
  assert.equal(get(ev({ 'a/~b': 1 }), 'jevt.value', '/a~1~0b'), '1');
  assert.equal(get(pod, 'jevt.rawtime'), '1500000000123456789');
});

test('ka.* fields ignore JSON without auditID; jevt.* still reads it', () => {
  const other: AuditEvent = { obj: { verb: 'get' }, timeNs: 0n, num: 1 };
  assert.equal(get(other, 'ka.verb'), undefined);
  assert.equal(get(other, 'jevt.value', '/verb'), 'get');
});
