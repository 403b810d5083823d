/**
 * Go binaries end to end: a binary built here (golang-go) with a vendored golang.org/x/text
 * v0.3.0 is scanned inside an image against Trivy's fixture database, whose Go bucket says
 * CVE-2021-38561 affects x/text < 0.3.7. Skips without the Go toolchain or the Trivy data.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { needConformance } from './helpers.ts';
import { importPath, scanTarget, VulnDb } from '../../src/scan/index.ts';
import { packTar, writeDockerArchive } from '../../src/scan/image/fixtures.test-helpers.ts';
import {
  buildGoProgram,
  noGoToolchain,
} from '../../src/scan/catalog/golang/go-build.test-helpers.ts';

const golden = needConformance('scan', 'trivy-golden');
const noGo = noGoToolchain();

test(
  'a Go binary with x/text v0.3.0 in an image meets CVE-2021-38561 from Trivy fixtures',
  { skip: golden.skip || noGo },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-gomatch-'));
    try {
      const app = buildGoProgram(dir, {
        module: 'example.com/app',
        main: 'package main\n\nimport "golang.org/x/text/language"\n\nfunc main() { println(language.Tag) }\n',
        deps: [
          {
            path: 'golang.org/x/text',
            version: 'v0.3.0',
            pkg: 'golang.org/x/text/language',
            source: 'package language\n\nconst Tag = "en"\n',
          },
        ],
        out: 'app',
      });
      const layer = await packTar([
        { name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.10.4\n' },
        { name: 'usr/bin/app', content: readFileSync(app), mode: 0o755 },
      ]);
      const img = await writeDockerArchive([layer], { gzipLayers: true });
      const db = new VulnDb(join(dir, 'v.sqlite'));
      try {
        importPath(db, join(golden.path, 'db'));
        const r = await scanTarget('image', img, db);
        const text = r.inventory.packages.find((p) => p.name === 'golang.org/x/text');
        assert.equal(text?.purl, 'pkg:golang/golang.org/x/text@v0.3.0');
        const f = r.findings
          .filter((x) => x.pkg.name === 'golang.org/x/text')
          .map((x) => `${x.vulnId} ${x.fixed}`);
        assert.deepEqual(f, ['CVE-2021-38561 0.3.7']);
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
