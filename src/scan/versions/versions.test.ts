import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions, matchApk, satisfiesPep440 } from './index.ts';

test('dpkg epochs and tildes', () => {
  assert.equal(compareVersions('dpkg', '1:1.0', '2.0'), 1);
  assert.equal(compareVersions('dpkg', '1.0~rc1-1', '1.0-1'), -1);
  assert.equal(compareVersions('dpkg', '1.0', '1.0-0'), 0);
});

test('apk revisions and pre-release suffixes', () => {
  assert.equal(compareVersions('apk', '1.1.22-r3', '1.1.22-r2'), 1);
  assert.equal(compareVersions('apk', '1.0_rc1', '1.0'), -1);
  assert.ok(matchApk('3.6.1', '~', '3.6'));
});

test('rpm epochs and releases', () => {
  assert.equal(compareVersions('rpm', '1:1.0-1', '2.0-1'), 1);
  assert.equal(compareVersions('rpm', '1.0-1.el8', '1.0-1.el8_2'), -1);
});

test('pep440 and semver', () => {
  assert.equal(compareVersions('pep440', '1.0.post1', '1.0'), 1);
  assert.equal(satisfiesPep440('2.2.3', '>=2.2,<2.2.4'), true);
  assert.equal(satisfiesPep440('not a version', '>=1'), null);
  assert.equal(compareVersions('semver', '1.0.0-alpha', '1.0.0'), -1);
});
