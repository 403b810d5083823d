/**
 * Version comparison against the staged vectors of dpkg, apk-tools, rpm, node-semver and
 * pypa/packaging (scan/version-vectors). Each table reports passed/total.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { needConformance } from './helpers.ts';
import {
  compareApk,
  compareDpkg,
  parseDpkg,
  verrevcmp,
  comparePep440,
  compareSemver,
  gtRange,
  ltRange,
  matchApk,
  normalizePep440,
  parseSemver,
  rpmvercmp,
  satisfiesPep440,
  satisfiesSemver,
} from '../../src/scan/index.ts';

const { path, skip } = needConformance('scan', 'version-vectors');

function rows(file: string): string[][] {
  return readFileSync(join(path, file), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split('\t'));
}

function opts(s: string | undefined): { loose?: boolean; includePrerelease?: boolean } {
  if (!s) return {};
  if (s === 'true') return { loose: true };
  return JSON.parse(s) as { loose?: boolean };
}

// Go's strconv-style escapes used in pep440-normalize.tsv.
function unescape(s: string): string {
  return s.replace(
    /\\([tnr\\])/g,
    (_m, c: string) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\' })[c]!,
  );
}

function table(name: string, file: string, check: (r: string[]) => boolean): void {
  test(`version vectors: ${name}`, { skip }, () => {
    const all = rows(file);
    const bad = all.filter((r) => !check(r));
    console.log(`# ${name}: ${all.length - bad.length}/${all.length}`);
    assert.deepEqual(bad.slice(0, 10), []);
    assert.ok(all.length > 0);
  });
}

// apt's table also compares bare fragments ("-", "p") that dpkg rejects as versions; those rows
// are checked with the fragment comparison (verrevcmp) that apt's test exercises.
table('dpkg', 'dpkg.tsv', ([a, b, e]) =>
  parseDpkg(a!) && parseDpkg(b!)
    ? compareDpkg(a!, b!) === Number(e)
    : Math.sign(verrevcmp(a!, b!)) === Number(e),
);
table('apk', 'apk.tsv', ([a, b, e]) => compareApk(a!, b!) === Number(e));
table('apk-fuzzy', 'apk-fuzzy.tsv', ([a, op, b]) => matchApk(a!, op!, b!));
table('rpm', 'rpm.tsv', ([a, b, e]) => rpmvercmp(a!, b!) === Number(e));
table(
  'semver-compare',
  'semver-compare.tsv',
  ([a, b, e, o]) => compareSemver(a!, b!, opts(o)) === Number(e),
);
table(
  'semver-range',
  'semver-range.tsv',
  ([r, v, e, o]) => satisfiesSemver(v!, unescape(r!), opts(o)) === (e === 'true'),
);
table('semver-gtlt-range', 'semver-gtlt-range.tsv', (row): boolean => {
  const [, v, rel, o] = row;
  const r = unescape(row[0]!);
  const op = opts(o);
  if (rel === 'gt') return gtRange(v!, r!, op);
  if (rel === 'lt') return ltRange(v!, r!, op);
  if (rel === 'not-gt') return !gtRange(v!, r!, op);
  return !ltRange(v!, r!, op);
});
table('semver-valid', 'semver-valid.tsv', ([v, ma, mi, pa, pre, build]) => {
  const p = parseSemver(v!);
  return (
    p !== null &&
    p.major === Number(ma) &&
    p.minor === Number(mi) &&
    p.patch === Number(pa) &&
    JSON.stringify(p.prerelease) === JSON.stringify(JSON.parse(pre!)) &&
    JSON.stringify(p.build) === JSON.stringify(JSON.parse(build!))
  );
});
table('semver-invalid', 'semver-invalid.tsv', ([v, , o]) => parseSemver(v!, opts(o)) === null);
test('version vectors: pep440-ordered is strictly ascending', { skip }, () => {
  const vs = rows('pep440-ordered.txt').map((r) => r[0]!);
  let ok = 0;
  for (let i = 1; i < vs.length; i++) if (comparePep440(vs[i - 1]!, vs[i]!) < 0) ok++;
  console.log(`# pep440-ordered adjacent pairs: ${ok}/${vs.length - 1}`);
  assert.equal(ok, vs.length - 1);
});
table('pep440', 'pep440.tsv', ([a, b, e]) => comparePep440(a!, b!) === Number(e));
table('pep440-normalize', 'pep440-normalize.tsv', ([i, n]) => normalizePep440(unescape(i!)) === n);
table('pep440-specifier', 'pep440-specifier.tsv', ([v, s, m, pre]) => {
  const r = satisfiesPep440(v!, s!, {
    prereleases: pre!.startsWith('true'),
    plainLessThan: pre === 'true(WithPreRelease)',
  });
  return r === (m === 'true');
});
