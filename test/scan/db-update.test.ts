/**
 * `vigil db update` against a local mirror on 127.0.0.1 (the public feeds are out of reach
 * here): OSV's PyPI records zipped into `PyPI/all.zip` (ZIP built by Python's zipfile), the
 * Alpine secdb as `v3.10/main.json`, the Debian tracker JSON. The update must give the same
 * advisories as `db import` of the same files, resume a cut download with a Range request,
 * and refuse a wrong MD5 (x-goog-hash) and a ZIP entry with a bad CRC.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { needConformance } from '../conformance/helpers.ts';
import { download, importPath, updateFromFeeds, VulnDb } from '../../src/scan/index.ts';

const osv = needConformance('scan', 'vulndb', 'osv', 'pypi');
const secdb = needConformance('scan', 'vulndb', 'alpine-secdb');
const debian = needConformance('scan', 'vulndb', 'debian-tracker');
const python = spawnSync('python3', ['--version']).status === 0;
const skip =
  osv.skip || secdb.skip || debian.skip || (python ? false : 'needs python3 to build the zip');

let dir = '';
let server: Server;
let base = '';
const files = new Map<string, Buffer>();
const requests: { path: string; range?: string }[] = [];
/** Paths whose first answer is cut after half the body (a dropped connection). */
const cutOnce = new Set<string>();
/** Paths answered with a wrong x-goog-hash. */
const wrongHash = new Set<string>();

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'vigil-dbupdate-'));
  const src = join(dir, 'osv');
  mkdirSync(src);
  const zip = join(dir, 'all.zip');
  const r = spawnSync(
    'python3',
    [
      '-c',
      'import sys,zipfile,os\nz=zipfile.ZipFile(sys.argv[1],"w",zipfile.ZIP_DEFLATED)\nfor f in sorted(os.listdir(sys.argv[2])): z.write(os.path.join(sys.argv[2],f),f)\nz.close()',
      zip,
      osv.path,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  files.set('/osv/PyPI/all.zip', readFileSync(zip));
  const alpine = parse(readFileSync(join(secdb.path, 'v3.10-main.yaml'), 'utf8')) as unknown;
  files.set('/alpine/v3.10/main.json', Buffer.from(JSON.stringify(alpine)));
  files.set('/debian/json', readFileSync(join(debian.path, 'vunnel-fixture-debian.json')));
  server = createServer((req, res) => {
    const path = req.url ?? '';
    requests.push({ path, ...(req.headers.range ? { range: req.headers.range } : {}) });
    const body = files.get(path);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const md5 = createHash('md5').update(body).digest('base64');
    const headers: Record<string, string> = {
      'x-goog-hash': `crc32c=AAAAAA==,md5=${wrongHash.has(path) ? 'AAAAAAAAAAAAAAAAAAAAAA==' : md5}`,
    };
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const from = m ? Number(m[1]) : 0;
    const part = body.subarray(from);
    headers['content-length'] = String(part.length);
    if (m) headers['content-range'] = `bytes ${from}-${body.length - 1}/${body.length}`;
    res.writeHead(m ? 206 : 200, headers);
    if (cutOnce.delete(path)) {
      res.flushHeaders();
      res.write(part.subarray(0, part.length >> 1), () => setImmediate(() => res.destroy()));
      return;
    }
    res.end(part);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  if (skip) return;
  await new Promise((ok) => server.close(ok));
  rmSync(dir, { recursive: true, force: true });
});

function counts(file: string): { advisories: number; vulnerabilities: number } {
  const db = new VulnDb(file, { readonly: true });
  try {
    return db.counts();
  } finally {
    db.close();
  }
}

test('db update from a local mirror equals db import of the same files', { skip }, async () => {
  const updated = join(dir, 'updated.sqlite');
  const db = new VulnDb(updated);
  const seen: number[] = [];
  const sum = await updateFromFeeds(db, {
    cacheDir: join(dir, 'cache'),
    bases: { osv: `${base}/osv`, alpine: `${base}/alpine`, debian: `${base}/debian/json` },
    ecosystems: ['PyPI'],
    alpine: ['3.10'],
    progress: (p) => seen.push(p.got),
  });
  db.close();
  // v3.10 community is not on the mirror: one warning, the rest imported.
  assert.equal(sum.files, 3, JSON.stringify(sum.diagnostics));
  assert.deepEqual(
    sum.diagnostics.map((d) => d.code),
    ['VULNDB_DOWNLOAD'],
  );
  assert.ok(seen.length > 0);
  const imported = join(dir, 'imported.sqlite');
  const ref = new VulnDb(imported);
  importPath(ref, osv.path);
  importPath(ref, join(secdb.path, 'v3.10-main.yaml'));
  importPath(ref, join(debian.path, 'vunnel-fixture-debian.json'));
  ref.close();
  const got = counts(updated);
  const want = counts(imported);
  console.log(`# db update: ${got.advisories} advisories (db import: ${want.advisories})`);
  assert.ok(got.advisories > 0);
  assert.deepEqual(
    { advisories: got.advisories, vulnerabilities: got.vulnerabilities },
    { advisories: want.advisories, vulnerabilities: want.vulnerabilities },
  );
});

test('a cut download resumes with a Range request and verifies the MD5', { skip }, async () => {
  const cache = join(dir, 'resume');
  const url = `${base}/osv/PyPI/all.zip`;
  cutOnce.add('/osv/PyPI/all.zip');
  await assert.rejects(download(url, cache), (e: Error & { code?: string }) => {
    console.log('# cut: ' + e.message);
    return e.code === 'VULNDB_DOWNLOAD';
  });
  const partial = readdirSync(cache).find((f) => f.endsWith('.part'));
  assert.ok(partial, 'a .part file is kept');
  requests.length = 0;
  const file = await download(url, cache);
  assert.match(requests[0]?.range ?? '', /^bytes=\d+-$/);
  assert.ok(readFileSync(file).equals(files.get('/osv/PyPI/all.zip')!));
  // A wrong published MD5 is refused and the partial file dropped.
  wrongHash.add('/debian/json');
  await assert.rejects(download(`${base}/debian/json`, join(dir, 'md5')), {
    code: 'VULNDB_VERIFY',
  });
  assert.equal(existsSync(join(dir, 'md5', '127.0.0.1_debian_json.json')), false);
});

test('a ZIP entry whose CRC-32 does not match is refused', { skip }, async () => {
  const good = files.get('/osv/PyPI/all.zip')!;
  const bad = Buffer.from(good);
  // Flip a byte inside the first entry's compressed data (after its 30-byte header and name).
  const nameLen = bad.readUInt16LE(26);
  const extra = bad.readUInt16LE(28);
  const at = 30 + nameLen + extra + 10;
  bad[at] = bad[at]! ^ 0x55;
  files.set('/osv-bad/PyPI/all.zip', bad);
  const db = new VulnDb(join(dir, 'bad.sqlite'));
  const sum = await updateFromFeeds(db, {
    cacheDir: join(dir, 'badcache'),
    bases: { osv: `${base}/osv-bad` },
    ecosystems: ['PyPI'],
    alpine: [],
    debian: false,
  });
  db.close();
  assert.equal(sum.files, 0);
  assert.equal(sum.diagnostics[0]?.code, 'VULNDB_ZIP_CORRUPT');
  writeFileSync(join(dir, 'unused'), '');
});
