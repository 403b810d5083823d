import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleAlert } from '../store/index.ts';
import { createHttpChannel } from './http.ts';
import { DEFAULT_FORMAT } from './types.ts';
import { Receiver } from '../../test/support/receiver.ts';

function haveOpenssl(): string | undefined {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'openssl not installed: skipping TLS tests';
  }
}
const skip = haveOpenssl();

// a throwaway CA with a server certificate for 127.0.0.1 and a client certificate
function makePki(dir: string): void {
  const ssl = (...a: string[]): void => {
    execFileSync('openssl', a, { cwd: dir, stdio: 'ignore' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=vigil-test-ca', '-days', '2');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  for (const who of ['server', 'client']) {
    ssl('req', ...ec, '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who}`);
    ssl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.crt`, '-days', '2', ...(who === 'server' ? ['-extfile', 'san.ext'] : []));
  }
}

test('https with a private CA, mutual TLS, ca_path and insecure', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
  makePki(dir);
  const f = (n: string): Buffer => readFileSync(join(dir, n));
  const seen: { cn?: string; body: string }[] = [];
  const srv = https.createServer({ key: f('server.key'), cert: f('server.crt'), ca: f('ca.crt'), requestCert: true, rejectUnauthorized: true }, (req, res) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => {
      const cert = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
      seen.push({ cn: String(cert?.subject?.CN), body: b });
      res.end();
    });
  }).listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const url = `https://127.0.0.1:${(srv.address() as AddressInfo).port}/`;
  const mtls = { mtls: true, client_cert: join(dir, 'client.crt'), client_key: join(dir, 'client.key') };

  await createHttpChannel({ url, ca_cert: join(dir, 'ca.crt'), ...mtls }, DEFAULT_FORMAT).send(sampleAlert(1), 'A');
  assert.equal(seen.length, 1);
  assert.equal(seen[0].cn, 'client');
  assert.equal(JSON.parse(seen[0].body).uuid, 'A');

  mkdirSync(join(dir, 'cas'));
  copyFileSync(join(dir, 'ca.crt'), join(dir, 'cas', 'ca.pem'));
  await createHttpChannel({ url, ca_path: join(dir, 'cas'), ...mtls }, DEFAULT_FORMAT).send(sampleAlert(2), 'B');
  await createHttpChannel({ url, insecure: true, ...mtls }, DEFAULT_FORMAT).send(sampleAlert(3), 'C');
  assert.equal(seen.length, 3);

  // an unknown CA and a missing client certificate are refused (and retryable: config may be fixed)
  await assert.rejects(createHttpChannel({ url, ...mtls }, DEFAULT_FORMAT).send(sampleAlert(4), 'D'), { name: 'DeliveryError' });
  await assert.rejects(createHttpChannel({ url, ca_cert: join(dir, 'ca.crt') }, DEFAULT_FORMAT).send(sampleAlert(5), 'E'), { name: 'DeliveryError' });
  assert.equal(seen.length, 3);
  assert.throws(() => createHttpChannel({ url, ca_cert: join(dir, 'nope.crt') }, DEFAULT_FORMAT), { code: 'CONFIG_FILE_UNREADABLE' });
  srv.close();
  rmSync(dir, { recursive: true });
});

test('custom headers, gzip uploads, user agent; 4xx is permanent, 5xx and timeouts are not', async () => {
  const rx = new Receiver();
  await rx.up(0);
  const ch = createHttpChannel({ url: rx.url, headers: { Authorization: 'Bearer t0k' }, compress_uploads: true, user_agent: 'vigil-test' }, DEFAULT_FORMAT);
  await ch.send(sampleAlert(1), 'A');
  const h = rx.got[0].headers;
  assert.deepEqual([h.authorization, h['content-encoding'], h['user-agent'], h['x-vigil-alert-id']], ['Bearer t0k', 'gzip', 'vigil-test', 'A']);
  assert.equal(rx.got[0].body.rule, sampleAlert(1).rule);
  rx.status = 400;
  await assert.rejects(ch.send(sampleAlert(2), 'B'), (e: Error & { permanent?: boolean }) => e.permanent === true);
  rx.status = 503;
  await assert.rejects(ch.send(sampleAlert(2), 'B'), (e: Error & { permanent?: boolean }) => e.permanent === false);
  rx.status = 429;
  await assert.rejects(ch.send(sampleAlert(2), 'B'), (e: Error & { permanent?: boolean }) => e.permanent === false);
  await ch.close();
  await rx.down();
  const slow = http.createServer(() => {}).listen(0, '127.0.0.1'); // never answers
  await once(slow, 'listening');
  const t = createHttpChannel({ url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`, timeout_ms: 200 }, DEFAULT_FORMAT);
  await assert.rejects(t.send(sampleAlert(3), 'C'), (e: Error & { permanent?: boolean }) => e.permanent === false);
  await t.close();
  slow.closeAllConnections();
  slow.close();
  assert.throws(() => createHttpChannel({ url: 'ftp://x' }, DEFAULT_FORMAT), { code: 'CONFIG_INVALID' });
});
