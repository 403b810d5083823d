/**
 * Go binaries end to end: a binary built here (golang-go) with a vendored golang.org/x/text
 * v0.3.0 is scanned inside an image against Trivy's fixture database, whose Go bucket says
 * CVE-2021-38561 affects x/text < 0.3.7. Skips without the Go toolchain or the Trivy data.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { needConformance } from './helpers.ts';
import { importPath, scanTarget, VulnDb } from '../../src/scan/index.ts';
import { packTar, writeDockerArchive } from '../../src/scan/image/fixtures.test-helpers.ts';

const golden = needConformance('scan', 'trivy-golden');
const noGo =
  spawnSync('go', ['version']).status !== 0 ? 'no Go toolchain (apt-get install golang-go)' : false;

test(
  'a Go binary with x/text v0.3.0 in an image meets CVE-2021-38561 from Trivy fixtures',
  { skip: golden.skip || noGo },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-gomatch-'));
    try {
      const w = (p: string, s: string) => {
        mkdirSync(join(dir, p, '..'), { recursive: true });
        writeFileSync(join(dir, p), s);
      };
      w('go.mod', 'module example.com/app\n\ngo 1.17\n\nrequire golang.org/x/text v0.3.0\n');
      w(
        'main.go',
        'package main\n\nimport "golang.org/x/text/language"\n\nfunc main() { println(language.Tag) }\n',
      );
      w(
        'vendor/modules.txt',
        '# golang.org/x/text v0.3.0\n## explicit\ngolang.org/x/text/language\n',
      );
      w('vendor/golang.org/x/text/language/language.go', 'package language\n\nconst Tag = "en"\n');
      execFileSync('go', ['build', '-mod=vendor', '-buildvcs=false', '-o', 'app', '.'], {
        cwd: dir,
        env: {
          ...process.env,
          GOPROXY: 'off',
          GOFLAGS: '',
          GOCACHE: join(dir, '.cache'),
          GOPATH: join(dir, '.gopath'),
          CGO_ENABLED: '0',
        },
        stdio: 'pipe',
      });
      const layer = await packTar([
        { name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.10.4\n' },
        { name: 'usr/bin/app', content: readFileSync(join(dir, 'app')), mode: 0o755 },
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
