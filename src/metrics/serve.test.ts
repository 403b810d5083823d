/**
 * The standalone exporter: --listen parsing (METRICS_LISTEN_INVALID with the bad text), and
 * the HTTP answers (text exposition with its Content-Type on /metrics, 404 elsewhere, 405 for
 * POST), on the fixture tree so the body is known.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VigilError } from '../core/index.ts';
import { loadavgCollector } from './collectors/loadavg.ts';
import { parseListen, serveMetrics } from './serve.ts';

test('parseListen: host:port, [v6]:port, :port; anything else is METRICS_LISTEN_INVALID', () => {
  assert.deepEqual(parseListen('127.0.0.1:9100'), { host: '127.0.0.1', port: 9100 });
  assert.deepEqual(parseListen('[::1]:0'), { host: '::1', port: 0 });
  assert.deepEqual(parseListen(':9100'), { host: '0.0.0.0', port: 9100 });
  for (const bad of ['9100', 'localhost', '127.0.0.1:70000', '127.0.0.1:x']) {
    assert.throws(() => parseListen(bad), (e: unknown) => e instanceof VigilError && e.code === 'METRICS_LISTEN_INVALID' && e.message.includes(bad), bad);
  }
});

test('serveMetrics: /metrics in the text format, /healthz, 404 and 405', async () => {
  const s = await serveMetrics([loadavgCollector], { host: '127.0.0.1', port: 0 });
  try {
    const r = await fetch(`${s.url}/metrics`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const body = await r.text();
    assert.match(body, /^# TYPE node_load1 gauge\nnode_load1 \d/m);
    assert.match(body, /^node_scrape_collector_success\{collector="loadavg"\} 1$/m);
    assert.ok(body.endsWith('\n'));
    assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${s.url}/other`)).status, 404);
    assert.equal((await fetch(`${s.url}/metrics`, { method: 'POST' })).status, 405);
  } finally {
    await s.close();
  }
});
