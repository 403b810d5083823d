// Integration with a real rsyslog (started by .ci/services/rsyslog.sh): what rsyslog parses out
// of our messages must be the RFC 5424 fields we meant. Skips visibly when rsyslog is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sampleAlert } from '../store/index.ts';
import { createSyslogChannel, DEFAULT_FORMAT } from './index.ts';

const DIR = process.env.VIGIL_RSYSLOG_DIR ?? '/var/tmp/vigil-rsyslog';
const PORT = Number(process.env.VIGIL_RSYSLOG_PORT ?? 5514);
function running(): string | undefined {
  try {
    process.kill(Number(readFileSync(join(DIR, 'pid'), 'utf8')), 0);
    return undefined;
  } catch {
    return `rsyslog not running (no live pid in ${DIR}); run .ci/services/rsyslog.sh`;
  }
}
const skip = running();
if (skip) console.log(`# SKIP rsyslog integration: ${skip}`);

for (const transport of ['udp', 'tcp', 'unix'] as const) {
  test(`rsyslog receives well-formed RFC 5424 over ${transport}`, { skip }, async () => {
    const run = randomBytes(4).toString('hex');
    const ch = createSyslogChannel({ transport, port: PORT, path: join(DIR, 'log.sock') }, DEFAULT_FORMAT);
    const rules = ['Terminal shell in container', 'Write below "etc" [x]'];
    for (let i = 0; i < 2; i++) await ch.send(sampleAlert(i, { rule: rules[i], priority: i ? 'Critical' : 'Warning' }), `${run}-${i}`);
    await ch.close();
    const file = join(DIR, `${transport}.log`);
    let lines: string[] = [];
    for (let i = 0; i < 100; i++) {
      lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.includes(run)) : [];
      if (lines.length >= 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(lines.length, 2, `rsyslog logged ${lines.length} of 2 messages in ${file}`);
    for (let i = 0; i < 2; i++) {
      const [ver, pri, time, host, app, procid, msgid, ...rest] = lines[i].split('|');
      assert.equal(ver, '1');
      assert.equal(pri, String(8 + (i ? 2 : 4)));
      assert.match(time, /^2026-01-01T00:00:0\d\.123456(Z|\+00:00)$/);
      assert.equal(host, 'node-1');
      assert.equal(app, 'vigil');
      assert.equal(procid, String(process.pid));
      assert.equal(msgid, 'alert');
      const tail = rest.join('|');
      assert.ok(tail.startsWith(`[vigil@32473 id="${run}-${i}" rule="${rules[i].replace(/["\]\\]/g, (c) => '\\' + c)}"`), tail);
      const msg = JSON.parse(tail.slice(tail.indexOf(']|{') + 2));
      assert.equal(msg.rule, rules[i]);
      assert.equal(msg.uuid, `${run}-${i}`);
    }
  });
}
