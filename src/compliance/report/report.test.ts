import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHtml, toJUnit, toPrometheus, toSarif, type GenericReport } from './index.ts';

const report: GenericReport = {
  tool: 'vigil test',
  title: 'T <&>',
  summary: { score: 50, missing: null },
  cases: [
    { id: 'A-1', name: 'passes', group: 'g1', status: 'pass', message: 'ok' },
    {
      id: 'A-2',
      name: 'fails',
      group: 'g1',
      status: 'fail',
      severity: 'critical',
      message: 'bad "x" <y>',
      remediation: 'fix it',
      subject: 'Pod/ns/p',
      file: 'm.yaml',
      line: 3,
    },
    {
      id: 'A-3',
      name: 'waived',
      group: 'g2',
      status: 'accepted',
      severity: 'low',
      message: 'accepted: vendor',
      subject: 'Pod/ns/q',
    },
    { id: 'A-4', name: 'n/a', group: 'g2', status: 'na', message: 'not applicable: sqlite' },
  ],
};

test('SARIF: one rule per id, results for fail/warn/accepted, suppressions for accepted', () => {
  const s = toSarif(report) as {
    version: string;
    runs: {
      tool: { driver: { rules: { id: string }[] } };
      results: {
        ruleId: string;
        level: string;
        suppressions?: unknown[];
        locations: { physicalLocation?: { region?: { startLine: number } } }[];
      }[];
    }[];
  };
  assert.equal(s.version, '2.1.0');
  assert.deepEqual(
    s.runs[0]!.tool.driver.rules.map((r) => r.id),
    ['A-1', 'A-2', 'A-3', 'A-4'],
  );
  const res = s.runs[0]!.results;
  assert.deepEqual(
    res.map((r) => [r.ruleId, r.level, !!r.suppressions]),
    [
      ['A-2', 'error', false],
      ['A-3', 'note', true],
    ],
  );
  assert.equal(res[0]!.locations[0]!.physicalLocation!.region!.startLine, 3);
});

test('JUnit: failures carry the remediation, everything not pass/fail is skipped, XML is escaped', () => {
  const x = toJUnit(report);
  assert.match(x, /<testsuites name="T &lt;&amp;&gt;" tests="4" failures="1" skipped="2">/);
  assert.match(x, /<failure message="fix it">bad &quot;x&quot; &lt;y&gt;<\/failure>/);
  assert.equal((x.match(/<skipped /g) ?? []).length, 2);
  assert.equal((x.match(/<testsuite /g) ?? []).length, 2);
});

test('HTML: self-contained (no scripts, no external assets) and escaped', () => {
  const h = toHtml(report);
  assert.ok(h.startsWith('<!DOCTYPE html>'));
  assert.ok(!/<script|<link|src=|https?:\/\//i.test(h));
  assert.ok(h.includes('bad &quot;x&quot; &lt;y&gt;') && h.includes('<dd>n/a</dd>'));
});

test('Prometheus: HELP/TYPE once per metric, escaped labels, NaN for missing values', () => {
  const p = toPrometheus(
    [
      { name: 'm_a', labels: { f: 'x"y' }, value: 1.5 },
      { name: 'm_a', labels: { f: 'z' }, value: NaN },
      { name: 'm_b', labels: {}, value: 2 },
    ],
    { m_a: 'first' },
  );
  assert.equal(
    p,
    '# HELP m_a first\n# TYPE m_a gauge\nm_a{f="x\\"y"} 1.5\nm_a{f="z"} NaN\n# HELP m_b m_b\n# TYPE m_b gauge\nm_b 2\n',
  );
});
