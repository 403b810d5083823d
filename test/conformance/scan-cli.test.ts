/**
 * `vigil db import`, `vigil scan image` and `vigil sbom` end to end on the Trivy fixture data:
 * exit codes for --fail-on, formats, and invalid input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needConformance } from './helpers.ts';

const golden = needConformance('scan', 'trivy-golden');
const bin = join(import.meta.dirname, '..', '..', 'bin', 'vigil.mjs');

function vigil(
  args: string[],
  env: Record<string, string>,
): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('db import, scan with --fail-on, formats and bad input', { skip: golden.skip }, () => {
  const env = { VIGIL_VULNDB: join(mkdtempSync(join(tmpdir(), 'vigil-cli-')), 'v.sqlite') };
  const image = join(golden.path, 'images', 'integration-alpine-310.tar.gz');
  assert.equal(vigil(['db', 'import', join(golden.path, 'db')], env).code, 0);
  const status = JSON.parse(vigil(['db', 'status', '-o', 'json'], env).out);
  assert.ok(status.advisories > 0 && status.sources.some((s: { id: string }) => s.id === 'alpine'));
  const json = vigil(['scan', 'image', image, '-o', 'json', '--fail-on', 'medium'], env);
  assert.equal(json.code, 1);
  const doc = JSON.parse(json.out);
  assert.equal(doc.os.family, 'alpine');
  assert.ok(doc.vulnerabilities.length > 0);
  assert.equal(vigil(['scan', 'image', '--input', image, '--fail-on', 'critical'], env).code, 0);
  const bom = JSON.parse(vigil(['sbom', 'image', image], env).out);
  assert.equal(bom.specVersion, '1.5');
  assert.equal(bom.components.length, doc.packages.length);
  const bad = vigil(['scan', 'image', '/nonexistent.tar'], env);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /SCAN_NOT_FOUND/);
  assert.equal(vigil(['scan', 'image', image, '-o', 'nonsense'], env).code, 2);
});
