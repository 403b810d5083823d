// `vigil replay --db` then `vigil audit query`: what a user does after an incident.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needConformance } from './helpers.ts';
import { projectPath } from '../../src/core/index.ts';

const { path, skip } = needConformance('falco', 'scap', 'falco-0.34.1');
const vigil = (args: string[]) => execFileSync(process.execPath, [projectPath('bin', 'vigil.mjs'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('a replayed capture stored with --db is listed by vigil audit query', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-replay-db-'));
  try {
    const db = join(dir, 'vigil.db');
    vigil(['replay', '-q', '--db', db, join(path, 'cat_write.scap')]);
    // -o json gives JSON lines, one activity record each
    const text = vigil(['audit', 'query', '--db', db, '--since', '2000-01-01T00:00:00Z', '--type', 'exec', '-o', 'json']);
    const records = text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const cat = records.find((r: { comm?: string }) => r.comm === 'cat');
    assert.ok(cat, 'the cat execution is in the audit trail');
    assert.equal(cat.cmdline, 'cat /dev/null');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
