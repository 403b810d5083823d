/**
 * Catalogers against the staged package databases and lockfiles (scan/pkgdb, scan/lockfiles).
 * Expected counts come from a second, independent reading: dpkg-query for dpkg, the rpmdb's
 * own Name index for rpm, and plain structure counts for apk and lockfiles.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { needConformance } from './helpers.ts';
import {
  packagesFromHeaders,
  parseApkInstalled,
  parseDpkgStatus,
  parsePackageLock,
  parsePipfileLock,
  parseRequirements,
  parseTomlLock,
  rpmdbBlobs,
} from '../../src/scan/index.ts';

const db = needConformance('scan', 'pkgdb');
const locks = needConformance('scan', 'lockfiles');

function dpkgQueryCount(file: string): number | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-dpkg-'));
  try {
    symlinkSync(file, join(dir, 'status'));
    mkdirSync(join(dir, 'info'));
    mkdirSync(join(dir, 'updates'));
    const out = execFileSync(
      'dpkg-query',
      [`--admindir=${dir}`, '-W', '-f=${db:Status-Status}\\n'],
      { encoding: 'utf8' },
    );
    return out.split('\n').filter((s) => s === 'installed').length;
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('dpkg status files agree with dpkg-query', { skip: db.skip }, () => {
  const dir = join(db.path, 'dpkg');
  for (const f of readdirSync(dir)) {
    const file = join(dir, f);
    const text = readFileSync(file, 'utf8');
    const got = parseDpkgStatus(text, f).packages;
    // status.d entries carry no Status field: every stanza is installed.
    const want = f.includes('status.d')
      ? text.split(/\n\s*\n/).filter((s) => /^Package:/m.test(s)).length
      : dpkgQueryCount(file);
    console.log(`# dpkg ${f}: ${got.length} packages (reference ${want})`);
    if (want !== undefined) assert.equal(got.length, want, f);
    assert.ok(got.every((p) => p.purl.startsWith('pkg:deb/') && p.srcName));
  }
});

test('dpkg source packages with versions', { skip: db.skip }, () => {
  const pkgs = parseDpkgStatus(
    readFileSync(join(db.path, 'dpkg', 'debian12-bookworm-host-status'), 'utf8'),
    'status',
  ).packages;
  const bash = pkgs.find((p) => p.name === 'bash')!;
  const raw = /Package: bash\n(?:.+\n)*?Source: (\S+) \((\S+)\)/.exec(
    readFileSync(join(db.path, 'dpkg', 'debian12-bookworm-host-status'), 'utf8'),
  );
  assert.equal(bash.srcName, raw?.[1]);
  assert.equal(bash.srcVersion, raw?.[2]);
});

test('apk installed databases', { skip: db.skip }, () => {
  const dir = join(db.path, 'apk');
  for (const f of readdirSync(dir)) {
    const text = readFileSync(join(dir, f), 'utf8');
    const got = parseApkInstalled(text, f);
    // stanzas with both a name and a version (one fixture has a deliberately version-less entry)
    const want = text.split(/\n\s*\n/).filter((s) => /^P:/m.test(s) && /^V:/m.test(s)).length;
    console.log(`# apk ${f}: ${got.packages.length}/${want}`);
    assert.equal(got.packages.length, want);
    assert.equal(got.diagnostics.length, (text.match(/^P:/gm) ?? []).length - want);
  }
});

test('rpm sqlite database against its Name index', { skip: db.skip }, () => {
  const file = join(db.path, 'rpm', 'go-rpmdb-cbl-mariner-2.0-rpmdb.sqlite');
  const got = packagesFromHeaders(rpmdbBlobs(readFileSync(file)), file).packages;
  const d = new Database(file, { readonly: true });
  const want = (
    d.prepare("SELECT count(*) AS c FROM Name WHERE key != 'gpg-pubkey'").get() as { c: number }
  ).c;
  d.close();
  console.log(`# rpm sqlite: ${got.length}/${want}`);
  assert.equal(got.length, want);
  assert.ok(got.every((p) => /^\d/.test(p.version) || /^\d+:/.test(p.version)));
});

function rpmQueryCount(file: string): number | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rpm-'));
  try {
    symlinkSync(file, join(dir, 'Packages'));
    const out = execFileSync('rpm', ['--dbpath', dir, '-qa'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.split('\n').filter((l) => l && !l.startsWith('gpg-pubkey')).length;
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('rpm Berkeley DB database against rpm --dbpath', { skip: db.skip }, (t) => {
  const file = join(db.path, 'rpm', 'go-rpmdb-libuuid-Packages.bdb');
  const got = packagesFromHeaders(rpmdbBlobs(readFileSync(file), file), file);
  const want = rpmQueryCount(file);
  console.log(`# rpm bdb: ${got.packages.length}/${want ?? '? (rpm not installed)'}`);
  assert.deepEqual(got.diagnostics, []);
  if (want === undefined) return t.skip('rpm is not installed (apt-get install rpm)');
  assert.equal(got.packages.length, want);
});

test('rpm NDB database against its blob count', { skip: db.skip }, () => {
  // Debian's rpm is built without NDB; count 16-byte-aligned "BlbS" blob headers instead.
  const file = join(db.path, 'rpm', 'go-rpmdb-sle15-bci-Packages.ndb');
  const data = readFileSync(file);
  let want = 0;
  for (let i = 0; i + 4 <= data.length; i += 16)
    if (data.toString('latin1', i, i + 4) === 'BlbS') want++;
  const got = packagesFromHeaders(rpmdbBlobs(data, file), file);
  console.log(`# rpm ndb: ${got.packages.length}/${want}`);
  assert.equal(got.packages.length, want);
  assert.deepEqual(got.diagnostics, []);
});

test('npm package-lock v1-v3', { skip: locks.skip }, () => {
  const dir = join(locks.path, 'npm');
  for (const f of readdirSync(dir)) {
    const text = readFileSync(join(dir, f), 'utf8');
    const doc = JSON.parse(text) as {
      packages?: Record<string, { version?: string; link?: boolean }>;
      dependencies?: Record<string, unknown>;
    };
    const ids = new Set<string>();
    if (doc.packages) {
      for (const [k, v] of Object.entries(doc.packages))
        if (k.includes('node_modules/') && !v.link)
          ids.add(`${k.split('node_modules/').pop()}@${v.version}`);
    } else {
      const walk = (
        deps: Record<string, { version?: string; dependencies?: Record<string, unknown> }>,
      ): void => {
        for (const [n, d] of Object.entries(deps)) {
          ids.add(`${n}@${d.version}`);
          if (d.dependencies) walk(d.dependencies as never);
        }
      };
      walk(doc.dependencies as never);
    }
    const got = parsePackageLock(text, f).packages;
    console.log(`# npm ${f}: ${got.length}/${ids.size}`);
    assert.equal(got.length, ids.size);
    assert.ok(got.every((p) => p.purl.startsWith('pkg:npm/')));
  }
});

test('python lockfiles', { skip: locks.skip }, () => {
  const dir = join(locks.path, 'python');
  for (const f of readdirSync(dir)) {
    const text = readFileSync(join(dir, f), 'utf8');
    let got: number;
    let want: number;
    if (f.endsWith('Pipfile_many.lock')) {
      const d = JSON.parse(text) as Record<string, object>;
      want = Object.keys(d.default ?? {}).length + Object.keys(d.develop ?? {}).length;
      got = parsePipfileLock(text, f).packages.length;
    } else if (f.endsWith('.lock')) {
      want =
        (text.match(/^\[\[package\]\]/gm) ?? []).length -
        (text.match(/^source = \{ (virtual|editable) =/gm) ?? []).length;
      got = parseTomlLock(text, f).packages.length;
    } else {
      // exact pins only: "==" followed by a version without a wildcard
      want = text
        .split('\n')
        .filter((l) => /^[A-Za-z][\w.-]*\s*==\s*[\d.]+(\s|;|$)/.test(l)).length;
      got = parseRequirements(text, f).packages.length;
    }
    console.log(`# python ${f}: ${got}/${want}`);
    assert.equal(got, want, f);
  }
});
