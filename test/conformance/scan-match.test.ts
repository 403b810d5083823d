/**
 * Matching conformance: the alpine 3.10.4 image against the shared Alpine secdb (expected
 * set from a direct reading of the secdb), release separation, and Trivy's own golden results
 * on its fixture database (precision and recall).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { needConformance } from './helpers.ts';
import {
  catalogView,
  compareApk,
  importPath,
  matchInventory,
  openImage,
  VulnDb,
  wantForCatalogers,
  type Inventory,
} from '../../src/scan/index.ts';

const scan = needConformance('scan', 'images');
const secdb = needConformance('scan', 'vulndb', 'alpine-secdb');
const golden = needConformance('scan', 'trivy-golden');

function tmpDb(): { db: VulnDb; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-vulndb-'));
  const db = new VulnDb(join(dir, 'v.sqlite'));
  return { db, done: () => (db.close(), rmSync(dir, { recursive: true, force: true })) };
}

// The expected findings read straight from the secdb YAML: same release, origin package, installed < fixed.
function expectedFromSecdb(inv: Inventory, file: string): string[] {
  const doc = parse(readFileSync(file, 'utf8')) as {
    packages: { pkg: { name: string; secfixes?: Record<string, string[]> } }[];
  };
  const out: string[] = [];
  for (const p of inv.packages) {
    const entry = doc.packages.find((x) => x.pkg.name === (p.srcName ?? p.name));
    for (const [fixed, ids] of Object.entries(entry?.pkg.secfixes ?? {})) {
      if (fixed === '0' || compareApk(p.version, fixed) >= 0) continue;
      for (const id of ids ?? [])
        for (const one of String(id)
          .split(/\s+/)
          .filter((s) => /^[A-Z]+-\d/.test(s)))
          out.push(`${p.name} ${one} ${fixed}`);
    }
  }
  return [...new Set(out)].sort();
}

test(
  'alpine 3.10.4 image against the Alpine secdb',
  { skip: scan.skip || secdb.skip },
  async () => {
    const { db, done } = tmpDb();
    try {
      importPath(db, secdb.path);
      const { view } = await openImage(
        join(scan.path, 'trivy-alpine-310.tar.gz'),
        wantForCatalogers,
      );
      const inv = catalogView(view);
      assert.equal(inv.os?.version, '3.10.4');
      const got = [
        ...new Set(matchInventory(inv, db).map((f) => `${f.pkg.name} ${f.vulnId} ${f.fixed}`)),
      ].sort();
      const want = expectedFromSecdb(inv, join(secdb.path, 'v3.10-main.yaml'));
      console.log(
        `# alpine 3.10.4 vs secdb v3.10: ${got.length} findings, expected ${want.length}`,
      );
      assert.deepEqual(got, want);
      // Release separation: the same packages read as 3.11 meet the 3.11 secdb instead.
      const as311: Inventory = { ...inv, os: { family: 'alpine', version: '3.11.0' } };
      const got311 = [
        ...new Set(matchInventory(as311, db).map((f) => `${f.pkg.name} ${f.vulnId} ${f.fixed}`)),
      ].sort();
      const want311 = expectedFromSecdb(inv, join(secdb.path, 'v3.11-main.yaml'));
      console.log(
        `# same packages as alpine 3.11 vs secdb v3.11: ${got311.length} findings, expected ${want311.length}`,
      );
      assert.deepEqual(got311, want311);
    } finally {
      done();
    }
  },
);

interface GoldenVuln {
  VulnerabilityID: string;
  PkgName: string;
  InstalledVersion: string;
  FixedVersion?: string;
  Severity: string;
}

test('Trivy golden: alpine-310 findings and package list', { skip: golden.skip }, async () => {
  const { db, done } = tmpDb();
  try {
    importPath(db, join(golden.path, 'db'));
    const { view } = await openImage(
      join(golden.path, 'images', 'integration-alpine-310.tar.gz'),
      wantForCatalogers,
    );
    const inv = catalogView(view);
    const doc = JSON.parse(
      readFileSync(join(golden.path, 'golden', 'alpine-310.json.golden'), 'utf8'),
    ) as { Results: { Vulnerabilities?: GoldenVuln[] }[] };
    const key = (n: string, id: string, i: string, f: string | undefined, s: string): string =>
      `${n} ${id} ${i} ${f ?? ''} ${s}`;
    const want = new Set(
      doc.Results.flatMap((r) => r.Vulnerabilities ?? []).map((v) =>
        key(v.PkgName, v.VulnerabilityID, v.InstalledVersion, v.FixedVersion, v.Severity),
      ),
    );
    const got = new Set(
      matchInventory(inv, db).map((f) =>
        key(f.pkg.name, f.vulnId, f.installed, f.fixed, f.severity),
      ),
    );
    const tp = [...got].filter((g) => want.has(g)).length;
    console.log(
      `# trivy golden alpine-310: precision ${tp}/${got.size}, recall ${tp}/${want.size}`,
    );
    assert.deepEqual([...got].sort(), [...want].sort());
    const pk = JSON.parse(
      readFileSync(join(golden.path, 'golden', 'fanal-packages-alpine-310.json.golden'), 'utf8'),
    ) as { Name: string; Version: string; SrcName: string; SrcVersion: string; Arch: string }[];
    const wantPk = pk
      .map((p) => `${p.Name} ${p.Version} ${p.SrcName} ${p.SrcVersion} ${p.Arch}`)
      .sort();
    const gotPk = inv.packages
      .map((p) => `${p.name} ${p.version} ${p.srcName} ${p.srcVersion} ${p.arch}`)
      .sort();
    console.log(
      `# trivy fanal package list: ${gotPk.filter((p) => wantPk.includes(p)).length}/${wantPk.length}`,
    );
    assert.deepEqual(gotPk, wantPk);
  } finally {
    done();
  }
});
