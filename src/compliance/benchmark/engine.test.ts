import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareOp, findEnv, findFlag } from './compare.ts';
import { evalJsonPath } from './jsonpath.ts';
import { parseControls, reindentQuotedContinuations } from './model.ts';
import { runCheck } from './run.ts';
import type { AuditRunner } from './runner.ts';
import { redirectPaths } from './fixture-runner.ts';

test('compare ops follow kube-bench semantics', () => {
  assert.equal(compareOp('eq', 'FALSE', 'false', 'f').ok, true); // booleans compare lower-cased
  assert.equal(compareOp('eq', 'Abc', 'abc', 'f').ok, false);
  assert.equal(compareOp('noteq', '0', '0', 'f').ok, false);
  assert.equal(compareOp('gte', '30', '30', 'f').ok, true);
  assert.equal(compareOp('gt', '5m', '1', 'f').ok, false); // not an integer
  assert.equal(compareOp('bitmask', '600', '644', 'p').ok, true);
  assert.equal(compareOp('bitmask', '640', '600', 'p').ok, false);
  assert.equal(compareOp('bitmask', 'rw', '600', 'p').ok, false);
  assert.equal(compareOp('valid_elements', 'a,b,', 'a, b, c', 'x').ok, true);
  assert.equal(compareOp('valid_elements', 'a,d', 'a,b', 'x').ok, false);
  assert.equal(compareOp('valid_elements', '', '', 'x').ok, true);
  assert.equal(compareOp('has', 'Node,RBAC', 'RBAC', 'x').ok, true);
  assert.equal(compareOp('nothave', 'Node,RBAC', 'AlwaysAllow', 'x').ok, true);
  assert.equal(compareOp('regex', 'v1.29', '^v1\\.2\\d$', 'x').ok, true);
  assert.equal(compareOp('regex', 'x', '(', 'x').ok, false);
  assert.equal(compareOp('noteqx', '1', '0', 'x').ok, false);
});

test('flags, env and JSONPath values are found like kube-bench finds them', () => {
  assert.deepEqual(findFlag('kube-apiserver --anonymous-auth=false --x', '--anonymous-auth'), {
    match: true,
    value: 'false',
  });
  assert.deepEqual(findFlag('a --profiling --b=1', '--profiling'), { match: true, value: 'true' });
  assert.deepEqual(findFlag('authentication: {anonymous: x}', 'anonymous'), {
    match: true,
    value: 'x}',
  });
  assert.deepEqual(findFlag('permissions=644', 'permissions'), { match: true, value: '644' });
  assert.deepEqual(findFlag('', 'permissions'), { match: false, value: '' });
  assert.deepEqual(findEnv('A=1\nKUBE_X=abc\n', 'KUBE_X'), { match: true, value: 'abc' });
  const cfg = {
    authentication: { anonymous: { enabled: false } },
    tlsCipherSuites: ['A', 'B'],
    'client-transport-security': { 'cert-file': '/c' },
  };
  assert.equal(evalJsonPath('{.authentication.anonymous.enabled}', cfg), 'false');
  assert.equal(evalJsonPath("{range .tlsCipherSuites[:]}{}{','}{end}", cfg), 'A,B,');
  assert.equal(evalJsonPath('{.client-transport-security.cert-file}', cfg), '/c');
  assert.equal(evalJsonPath('{.missing.key}', cfg), '');
  assert.equal(evalJsonPath('/literal/path', cfg), '/literal/path');
  assert.throws(() => evalJsonPath('{.unclosed', cfg), /unclosed/);
});

/** A runner answering scripts from a table. */
function fake(answers: Record<string, { output: string; code?: number }>): AuditRunner {
  return {
    run: async (s) => ({
      output: answers[s]?.output ?? '',
      code: answers[s]?.code ?? (answers[s] ? 0 : 127),
    }),
    exists: () => false,
    isRunning: async () => true,
  };
}

const defs = parseControls(
  `
id: 1
version: t
text: t
type: master
groups:
- id: "1.1"
  text: g
  checks:
  - {id: "1", text: skip, type: skip, audit: x, scored: true}
  - {id: "2", text: manual, type: manual, scored: true}
  - {id: "3", text: no tests, audit: x, scored: true}
  - id: "4"
    text: audit error, scored
    audit: fails
    tests: {test_items: [{flag: --a}]}
    scored: true
  - id: "5"
    text: multi values all must pass
    audit: perms
    use_multiple_values: true
    tests: {test_items: [{flag: permissions, compare: {op: bitmask, value: "600"}}]}
    scored: true
  - id: "6"
    text: config fallback with set false or
    audit: argv
    audit_config: cfg
    tests:
      bin_op: or
      test_items:
      - {flag: --read-only-port, path: "{.readOnlyPort}", compare: {op: eq, value: 0}}
      - {flag: --read-only-port, path: "{.readOnlyPort}", set: false}
    scored: true
  - id: "7"
    text: env
    audit: argv
    audit_env: envs
    tests: {test_items: [{env: FOO, compare: {op: eq, value: bar}}]}
    scored: false
  - id: "8"
    text: unknown bin_op
    audit: argv
    tests: {bin_op: xor, test_items: [{flag: a}]}
    scored: false
`,
  't.yaml',
);

test('check states: skip INFO, manual WARN, no tests, audit errors, multi-line, fallbacks', async () => {
  const r = fake({
    fails: { output: '', code: 1 },
    perms: { output: 'permissions=600\npermissions=644\n' },
    argv: { output: 'kubelet --x=1' },
    cfg: { output: 'readOnlyPort: 0\n' },
    envs: { output: 'FOO=bar\n' },
    x: { output: 'ok' },
  });
  const ctx = { runner: r, vars: new Map<string, string>() };
  const states = [];
  for (const c of defs.groups[0]!.checks) states.push((await runCheck(c, ctx)).status);
  assert.deepEqual(states, ['INFO', 'WARN', 'FAIL', 'FAIL', 'FAIL', 'PASS', 'PASS', 'WARN']);
  const multiOk = fake({ perms: { output: 'permissions=600\npermissions=400\n' } });
  assert.equal(
    (await runCheck(defs.groups[0]!.checks[4]!, { runner: multiOk, vars: new Map() })).status,
    'PASS',
  );
  const skipped = await runCheck(defs.groups[0]!.checks[5]!, {
    runner: r,
    vars: new Map(),
    skip: new Set(['6']),
  });
  assert.equal(skipped.status, 'INFO');
});

test('not-applicable checks report INFO with a reason instead of failing', async () => {
  const c = { ...defs.groups[0]!.checks[3]!, appliesTo: 'etcd' };
  const res = await runCheck(c, {
    runner: fake({}),
    vars: new Map(),
    applies: async () => 'the datastore is SQLite (kine), not etcd',
  });
  assert.equal(res.status, 'INFO');
  assert.equal(res.not_applicable, true);
  assert.match(res.reason!, /Not applicable: the datastore is SQLite/);
});

test('Go-lenient YAML: under-indented quoted continuations are accepted', () => {
  const t = 'groups:\n  - id: 1\n    text: "long\n    text"\n    checks: []\n';
  assert.ok(reindentQuotedContinuations(t).includes('      text"'));
});

test('node paths are redirected into the recording, tools to the shims', () => {
  const s = redirectPaths(
    "/bin/ps -ef | grep x; stat -c %a /var/lib/a '/etc/b' --c=/run/d https://x/var/e",
    '/R',
  );
  assert.equal(
    s,
    "ps -ef | grep x; stat -c %a /R/var/lib/a '/R/etc/b' --c=/R/run/d https://x/var/e",
  );
});

test('broken definitions give BENCH_BAD_DEFINITION or run; nothing throws anything else', async () => {
  const { readFileSync } = await import('node:fs');
  const { parse, stringify } = await import('yaml');
  const { VigilError } = await import('../../core/index.ts');
  const { vigilK3sDefinitions } = await import('./k3s/index.ts');
  const seed = parse(readFileSync(`${vigilK3sDefinitions}/node.yaml`, 'utf8')) as unknown;
  const weird: unknown[] = [null, 0, 'x', '', true, [], {}, [null], { a: 1 }];
  let a = 42;
  const rnd = () => (a = (a * 1103515245 + 12345) % 2147483648) / 2147483648;
  const mutate = (v: unknown, d = 0): unknown => {
    if (d > 0 && rnd() < 0.12) return weird[Math.floor(rnd() * weird.length)];
    if (Array.isArray(v)) return v.map((x) => mutate(x, d + 1));
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mutate(x, d + 1)]));
    return v;
  };
  const runner = fake({
    'vigil:args kubelet': { output: 'kubelet --anonymous-auth=false' },
    'vigil:kubelet-config': { output: 'readOnlyPort: 0' },
  });
  let ran = 0;
  let refused = 0;
  for (let i = 0; i < 200; i++) {
    const text = stringify(mutate(seed));
    let defs;
    try {
      defs = parseControls(text, 'fuzz.yaml');
    } catch (e) {
      assert.ok(e instanceof VigilError && e.code === 'BENCH_BAD_DEFINITION', String(e));
      refused++;
      continue;
    }
    for (const g of defs.groups)
      for (const c of g.checks) await runCheck(c, { runner, vars: new Map() });
    ran++;
  }
  assert.ok(ran > 0 && refused > 0, `${ran} ran, ${refused} refused`);
});
