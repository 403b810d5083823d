import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../match/index.ts';
import {
  applySuppressions,
  failsGate,
  parseFailOn,
  readIgnoreFile,
  readOpenVex,
} from '../policy/index.ts';
import type { ScanResult } from '../scan.ts';
import { renderCycloneDx, renderJson, renderSarif, renderSpdx, renderTable } from './index.ts';

const pkg = {
  name: 'libssl1.1',
  version: '1.1.1c-r0',
  type: 'apk' as const,
  purl: 'pkg:apk/alpine/libssl1.1@1.1.1c-r0?arch=x86_64',
  foundIn: 'lib/apk/db/installed',
  srcName: 'openssl',
  layer: 0,
};
const finding = (id: string, severity: Finding['severity']): Finding => ({
  vulnId: id,
  pkg,
  installed: pkg.version,
  fixed: '1.1.1d-r0',
  status: 'fixed',
  severity,
  dataSource: 'alpine',
  title: `title of ${id}`,
});

function result(findings: Finding[]): ScanResult {
  return {
    target: {
      source: 'img.tar',
      format: 'docker-archive',
      layers: [{ digest: 'sha256:aa' }],
      repoTags: ['alpine:3.10'],
    },
    inventory: { os: { family: 'alpine', version: '3.10.2' }, packages: [pkg], diagnostics: [] },
    findings,
    diagnostics: [],
  };
}

test('SARIF has one rule per id and one result per finding', () => {
  const log = JSON.parse(renderSarif(result([finding('CVE-1', 'HIGH'), finding('CVE-2', 'LOW')])));
  assert.equal(log.version, '2.1.0');
  assert.deepEqual(
    log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id),
    ['CVE-1', 'CVE-2'],
  );
  assert.deepEqual(
    log.runs[0].results.map((r: { level: string }) => r.level),
    ['error', 'note'],
  );
});

test('CycloneDX 1.5 lists components with purls and affected vulnerabilities', () => {
  const bom = JSON.parse(renderCycloneDx(result([finding('CVE-1', 'HIGH')])));
  assert.equal(bom.bomFormat, 'CycloneDX');
  assert.equal(bom.specVersion, '1.5');
  assert.equal(bom.components[0].purl, pkg.purl);
  assert.equal(bom.vulnerabilities[0].id, 'CVE-1');
  assert.equal(bom.vulnerabilities[0].affects[0].ref, bom.components[0]['bom-ref']);
});

test('SPDX 2.3 describes every package with its purl', () => {
  const doc = JSON.parse(renderSpdx(result([])));
  assert.equal(doc.spdxVersion, 'SPDX-2.3');
  assert.equal(doc.packages.length, 1);
  assert.equal(doc.packages[0].externalRefs[0].referenceLocator, pkg.purl);
  assert.equal(doc.relationships[0].relatedSpdxElement, doc.packages[0].SPDXID);
});

test('JSON and table carry the findings', () => {
  const j = JSON.parse(renderJson(result([finding('CVE-1', 'MEDIUM')])));
  assert.equal(j.vulnerabilities[0].fixedVersion, '1.1.1d-r0');
  assert.deepEqual(j.vulnerabilities[0].layer, { digest: 'sha256:aa' });
  assert.match(renderTable(result([finding('CVE-1', 'MEDIUM')])), /libssl1\.1\s+CVE-1\s+MEDIUM/);
});

test('--fail-on thresholds', () => {
  const fs = [finding('CVE-1', 'MEDIUM')];
  assert.equal(failsGate(fs, parseFailOn('medium')), true);
  assert.equal(failsGate(fs, parseFailOn('HIGH')), false);
  assert.throws(() => parseFailOn('severe'), /unknown severity/);
});

test('ignore file with reasons and expiry, and OpenVEX statements', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-policy-'));
  writeFileSync(
    join(dir, 'ignore.yaml'),
    'ignore:\n  - id: CVE-1\n    reason: not reachable\n    expires: 2999-01-01\n  - id: CVE-2\n    reason: expired waiver\n    expires: 2000-01-01\n',
  );
  writeFileSync(
    join(dir, 'vex.json'),
    JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      statements: [
        {
          vulnerability: { name: 'CVE-3' },
          products: [{ '@id': 'pkg:apk/alpine/libssl1.1' }],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
        },
      ],
    }),
  );
  const rules = readIgnoreFile(join(dir, 'ignore.yaml'));
  const vex = readOpenVex(join(dir, 'vex.json'));
  const { kept, suppressed } = applySuppressions(
    [finding('CVE-1', 'HIGH'), finding('CVE-2', 'HIGH'), finding('CVE-3', 'HIGH')],
    rules,
    vex,
  );
  assert.deepEqual(
    kept.map((f) => f.vulnId),
    ['CVE-2'],
  );
  assert.deepEqual(
    suppressed.map((s) => [s.finding.vulnId, s.by]),
    [
      ['CVE-1', 'ignore-file'],
      ['CVE-3', 'vex'],
    ],
  );
  writeFileSync(join(dir, 'bad.yaml'), 'ignore:\n  - id: CVE-1\n    expires: someday\n');
  assert.throws(
    () => readIgnoreFile(join(dir, 'bad.yaml')),
    (e: Error & { code?: string }) => e.code === 'SCAN_IGNORE_FORMAT',
  );
});
