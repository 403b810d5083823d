/**
 * The web UI in a real browser (Debian's chromium driven by playwright-core) against a real
 * `vigil up`: sign in with the printed token, the overview, alert filters, an alert's detail
 * with the activity audit of its process, a live alert arriving without reload, the images,
 * compliance and rules pages; the alerts of a replayed shared capture and of a posted
 * Kubernetes audit file are on screen. Every page is photographed at a laptop and a phone
 * width into test-results/screenshots/ for review, and no page may scroll sideways on a phone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { projectPath } from '../../src/core/index.ts';
import { importPath, VulnDb } from '../../src/scan/index.ts';
import { needConformance } from '../conformance/helpers.ts';
import { startUp, type Up } from './helpers.ts';

const chromium = '/usr/bin/chromium';
const pw = await import('playwright-core').catch(() => undefined);
const dist = projectPath('web/dist/index.html');
// a UI built before the latest change to web/ or the sources it imports would test old code
const newest = (dir: string): number => Math.max(0, ...readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs));
const stale = () => !existsSync(dist) || statSync(dist).mtimeMs < Math.max(newest(projectPath('web/src')), statSync(projectPath('src/server/api-types.ts')).mtimeMs, statSync(projectPath('src/store/json.ts')).mtimeMs);
if (stale()) spawnSync(process.execPath, [projectPath('web/build.mjs')], { stdio: 'inherit' });
const skip = !existsSync(chromium)
  ? `${chromium} not installed (apt-get install chromium): skipping the browser tests`
  : !pw
    ? 'playwright-core not installed: skipping the browser tests'
    : !existsSync(dist)
      ? 'the web UI could not be built (npm run build:web): skipping the browser tests'
      : false;
if (skip) console.log(`# SKIP ${skip}`);

const k8sRules = needConformance('falco', 'rules', 'k8s_audit_rules.yaml');
const k8sEvent = needConformance('falco', 'k8saudit', 'create_nginx_pod_privileged.json');
const capture = needConformance('falco', 'scap', 'falco-0.34.1', 'cat_write.scap');
// Trivy's fixture database and image (four MEDIUM findings with fixes)
const golden = needConformance('scan', 'trivy-golden');
const shots = projectPath('test-results/screenshots');
const VIEWPORTS = { laptop: { width: 1366, height: 800 }, phone: { width: 390, height: 844 } } as const;

let up: Up;
let captureAlerts = 0;
type Browser = Awaited<ReturnType<NonNullable<typeof pw>['chromium']['launch']>>;
let browser: Browser;

const auth = () => ({ authorization: `Bearer ${up.token}` });
const post = (path: string, body: unknown, type = 'application/json') =>
  fetch(up.base + path, { method: 'POST', headers: { ...auth(), 'content-type': type }, body: typeof body === 'string' || body instanceof Buffer ? body : JSON.stringify(body) });

function falcoAlert(rule: string, priority: string, pod: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hostname: 'node-1', output: `12:00:00.000000000: ${priority} ${rule} (pod=${pod} ns=shop)`, priority, rule, source: 'syscall', tags: ['ui'],
    time: new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z'),
    output_fields: { 'container.id': `c0ffee${pod.length}0000`.slice(0, 12), 'container.name': `${pod}-ctr`, 'k8s.ns.name': 'shop', 'k8s.pod.name': pod, ...extra },
  };
}

before(async () => {
  if (skip) return;
  up = await startUp(k8sRules.skip ? [] : ['-r', projectPath('rules/vigil_rules.yaml'), '-r', k8sRules.path]);
  // a shared capture replayed into the same data folder, as the README says a user does it;
  // the rule prints the process id so the detail page can show that process's activity
  if (!capture.skip) {
    const rules = join(up.data, 'cat-rules.yaml');
    writeFileSync(rules, '- rule: Cat opened a file\n  desc: cat opens something\n  condition: evt.type in (open, openat) and proc.name = cat\n  output: cat opened %fd.name (pid=%proc.pid container=%container.id)\n  priority: WARNING\n  tags: [ui]\n');
    const r = spawnSync(process.execPath, [projectPath('bin/vigil.mjs'), 'replay', '-q', '-o', 'json', '--db', join(up.data, 'vigil.db'), '-r', rules, capture.path], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    captureAlerts = r.stdout.trim().split('\n').filter(Boolean).length;
  }
  if (!k8sEvent.skip) assert.equal((await post('/api/v1/ingest/k8s-audit', readFileSync(k8sEvent.path))).status, 200);
  for (const [rule, p, pod] of [['Terminal shell in container', 'Warning', 'web-1'], ['Write below etc', 'Error', 'web-2'], ['Crypto miner', 'Critical', 'db-0'], ['Read sensitive file', 'Notice', 'web-1']]) {
    assert.equal((await post('/api/v1/ingest/falco', falcoAlert(rule, p, pod))).status, 200);
  }
  const manifest = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web-1, namespace: shop}\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: nginx, securityContext: {privileged: true}}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: api, image: "registry.example/api:1.2", resources: {limits: {cpu: "1", memory: 1Gi}}}]\n';
  assert.equal((await post('/api/v1/compliance/posture?name=shop', manifest, 'text/yaml')).status, 200);
  if (!golden.skip) {
    const db = new VulnDb(join(up.data, 'vulndb.sqlite'));
    importPath(db, join(golden.path, 'db'));
    db.close();
    const r = await post('/api/v1/scans', { ref: join(golden.path, 'images', 'integration-alpine-310.tar.gz') });
    assert.equal(r.status, 201, await r.text());
  }
  mkdirSync(shots, { recursive: true });
  browser = await pw!.chromium.launch({ executablePath: chromium, args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  if (!up) return;
  const t = Date.now();
  const code = await up.stop();
  assert.equal(code, 0, `exit ${code} after ${Date.now() - t} ms:\n${up.log().slice(-3000)}`);
});

type Page = Awaited<ReturnType<Browser['newPage']>>;
/** A page at a screen size; generous waits, since the suite shares two cores with other suites. */
async function newPage(size: keyof typeof VIEWPORTS): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORTS[size] });
  page.setDefaultTimeout(90_000);
  return page;
}
async function signedIn(size: keyof typeof VIEWPORTS): Promise<Page> {
  const page = await newPage(size);
  await page.goto(up.base + '/');
  await page.fill('#token', up.token);
  await page.click('#login-form button');
  await page.waitForSelector('#overview #counts');
  return page;
}
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}
const rowTexts = (page: Page, table: string) => page.$$eval(`${table} tbody tr`, (trs) => trs.map((t) => t.textContent ?? ''));
/** Waits until the table has rows and every row mentions `text` (the previous view's rows stay while the next loads). */
const rowsOf = async (page: Page, table: string, text: string) => {
  await page.waitForFunction(([t, x]) => {
    const rows = [...document.querySelectorAll(`${t} tbody tr`)];
    return rows.length > 0 && rows.every((r) => r.textContent?.includes(x));
  }, [table, text] as const);
  return rowTexts(page, table);
};

test('sign in: a wrong token is refused on the page, the printed token opens the overview', { skip }, async () => {
  const page = await newPage('laptop');
  await page.goto(up.base + '/');
  await page.fill('#token', 'vgl_00000000_wrong');
  await page.click('#login-form button');
  await page.waitForSelector('#login .error');
  assert.match((await page.textContent('#login .error')) ?? '', /API_UNAUTHORIZED/);
  await shot(page, 'laptop-login');
  await page.fill('#token', up.token);
  await page.click('#login-form button');
  await page.waitForSelector('#overview #counts');
  await page.close();
});

test('overview: counts, chart, top rules and containers, compliance score, critical findings', { skip }, async () => {
  const page = await signedIn('laptop');
  await page.waitForSelector('#priority-chart canvas');
  const total = Number((await page.textContent('#counts .count.total b')) ?? '0');
  const api = (await (await fetch(up.base + '/api/v1/alerts/summary', { headers: auth() })).json()) as { total: number };
  assert.equal(total, api.total);
  // the capture's alerts, the audit file's and the four posted ones (the live test adds one later)
  assert.ok(total >= captureAlerts + 4 + (k8sEvent.skip ? 0 : 1), `${total} alerts`);
  const top = await page.$$eval('#top-rules li', (li) => li.map((l) => l.textContent ?? ''));
  if (captureAlerts) assert.ok(top.some((t) => t.includes('Cat opened a file')), top.join('|'));
  assert.ok((await page.$$eval('#top-containers li', (li) => li.length)) >= 3);
  assert.match((await page.textContent('#compliance-score')) ?? '', /\d+%/);
  const critical = ((await (await fetch(up.base + '/api/v1/findings?severity=CRITICAL', { headers: auth() })).json()) as { findings: unknown[] }).findings.length;
  if (critical) assert.equal(await page.$$eval('#critical-findings tr', (t) => t.length), Math.min(8, critical));
  else assert.match((await page.textContent('#critical-findings')) ?? '', /No critical findings/);
  await shot(page, 'laptop-overview');
  await page.close();
});

test('alerts: the filters narrow the list; the capture and the audit file alerts are shown', { skip }, async () => {
  const page = await signedIn('laptop');
  await page.click('#nav-alerts');
  await page.waitForSelector('#alert-list tbody tr');
  await page.selectOption('#filters select[name=priority]', 'Error');
  await page.fill('#filters input[name=namespace]', 'shop');
  await page.click('#filters button[type=submit]');
  await page.waitForFunction(() => location.hash.includes('priority=Error'));
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('#alert-list tbody tr')];
    return rows.length > 0 && rows.every((r) => /Critical|Error/.test(r.querySelector('.badge')?.textContent ?? ''));
  });
  let rows = await rowTexts(page, '#alert-list');
  assert.deepEqual(rows.map((r) => /Crypto miner|Write below etc/.exec(r)?.[0]).sort(), ['Crypto miner', 'Write below etc']);
  await shot(page, 'laptop-alerts-filtered');
  await page.goto(`${up.base}/#/alerts?q=${encodeURIComponent('terminal SHELL')}`);
  await page.waitForFunction(() => document.querySelectorAll('#alert-list tbody tr').length === 1);
  await page.goto(`${up.base}/#/alerts?pod=web-1`);
  await page.waitForFunction(() => document.querySelectorAll('#alert-list tbody tr').length === 2);
  if (captureAlerts) {
    await page.goto(`${up.base}/#/alerts?rule=${encodeURIComponent('Cat opened a file')}`);
    rows = await rowsOf(page, '#alert-list', 'Cat opened a file');
    assert.equal(rows.length, Math.min(captureAlerts, 100));
    assert.ok(rows.every((r) => r.includes('Cat opened a file')));
    await shot(page, 'laptop-alerts-capture');
  }
  if (!k8sEvent.skip) {
    await page.goto(`${up.base}/#/alerts?rule=${encodeURIComponent('Create Privileged Pod')}`);
    rows = await rowsOf(page, '#alert-list', 'Create Privileged Pod');
    assert.equal(rows.length, 1);
    assert.match(rows[0], /Create Privileged Pod/);
    await shot(page, 'laptop-alerts-k8saudit');
  }
  await page.close();
});

test('alert detail: the fields and the activity audit of the same process around that time', { skip: skip || capture.skip }, async () => {
  const page = await signedIn('laptop');
  await page.goto(`${up.base}/#/alerts?rule=${encodeURIComponent('Cat opened a file')}`);
  await rowsOf(page, '#alert-list', 'Cat opened a file');
  await page.click('#alert-list tbody tr:first-child td.rule a');
  await page.waitForSelector('#detail-fields tr');
  assert.match((await page.textContent('#detail-rule')) ?? '', /Cat opened a file/);
  const fields = await rowTexts(page, '#detail-fields');
  assert.ok(fields.some((f) => f.startsWith('proc.pid')), fields.join('|'));
  await page.waitForSelector('#detail-audit tbody tr');
  const acts = await rowTexts(page, '#detail-audit');
  assert.ok(acts.some((a) => /exec/.test(a) && /cat/.test(a)), acts.join('\n'));
  assert.match((await page.textContent('#detail-audit-title')) ?? '', /process \d+/);
  await shot(page, 'laptop-detail');
  await page.close();
});

test('alert detail: int64 fields (evt.time in ns) are shown digit for digit', { skip }, async () => {
  const ns = '1767225600123456789';
  // JSON.parse would round it: this is what the page must not do
  assert.notEqual(String(JSON.parse(ns)), ns);
  // the body is written by hand so the number reaches the server exact
  const body = JSON.stringify(falcoAlert('Exact time', 'Warning', 'web-7', { 'evt.rawtime': 0 })).replace('"evt.rawtime":0', `"evt.time":${ns},"evt.rawtime":${ns}`);
  const r = await post('/api/v1/ingest/falco', body);
  assert.equal(r.status, 200);
  const [id] = ((await r.json()) as { ids: string[] }).ids;
  assert.match(await (await fetch(`${up.base}/api/v1/alerts/${id}`, { headers: auth() })).text(), new RegExp(`"evt.time":${ns}\\b`));
  const page = await signedIn('laptop');
  await page.goto(`${up.base}/#/alert/${id}`);
  await page.waitForSelector('#detail-fields tr');
  const fields = await rowTexts(page, '#detail-fields');
  assert.ok(fields.includes(`evt.time${ns}`), fields.join('|'));
  assert.ok(fields.includes(`evt.rawtime${ns}`), fields.join('|'));
  await page.close();
});

test('live: an alert posted while the page is open appears without reload', { skip }, async () => {
  const page = await signedIn('laptop');
  await page.click('#nav-alerts');
  await page.waitForSelector('#alert-list tbody tr');
  await page.waitForSelector('#live.on');
  assert.equal((await post('/api/v1/ingest/falco', falcoAlert('Live one', 'Critical', 'web-9'))).status, 200);
  await page.waitForSelector('#alert-list tbody tr.new:has-text("Live one")', { timeout: 15_000 });
  await shot(page, 'laptop-live');
  await page.close();
});

test('images, compliance and rules pages show their data; a rule is disabled from the page', { skip }, async () => {
  const page = await signedIn('laptop');
  await page.click('#nav-images');
  if (!golden.skip) {
    await page.waitForSelector('#finding-list tbody tr');
    assert.match((await page.textContent('#scan-list')) ?? '', /integration-alpine-310/);
    await page.selectOption('#findings select[aria-label=fix]', 'true');
    await page.waitForFunction(() => location.hash.includes('fixable=true'));
    await page.waitForFunction(() => document.querySelectorAll('#finding-list tbody tr').length > 0);
    const rows = await rowTexts(page, '#finding-list');
    assert.ok(rows.every((r) => /^MEDIUMCVE-/.test(r)), rows.join('\n'));
    await page.selectOption('#findings select[aria-label=fix]', 'false');
    await page.waitForFunction(() => location.hash.includes('fixable=false'));
    await page.waitForFunction(() => document.querySelectorAll('#finding-list tbody tr').length === 0);
    await page.selectOption('#findings select[aria-label=fix]', '');
    await page.waitForSelector('#finding-list tbody tr');
  } else await page.waitForSelector('#scan-form');
  await shot(page, 'laptop-images');
  await page.click('#nav-compliance');
  await page.waitForSelector('#control-list tbody tr');
  assert.match((await page.textContent('#control-list')) ?? '', /web-1/);
  await shot(page, 'laptop-compliance');
  await page.click('#nav-rules');
  await page.waitForSelector('#rule-list tbody tr');
  const name = (await page.textContent('#rule-list tbody tr td:nth-child(2)'))!;
  await page.click('#rule-list tbody tr:first-child input[type=checkbox]');
  await page.waitForSelector('#rule-list tbody tr:first-child.disabled');
  const rules = (await (await fetch(up.base + '/api/v1/rules', { headers: auth() })).json()) as { rules: { name: string; enabled: boolean }[] };
  assert.equal(rules.rules.find((r) => r.name === name)?.enabled, false);
  await page.fill('#rules-text', '- rule: broken\n  desc: d\n  condition: evt.type = open and\n  output: o\n  priority: INFO\n');
  await page.click('#validate');
  await page.waitForSelector('#validation.error');
  assert.match((await page.textContent('#validation')) ?? '', /LOAD_ERR_COMPILE_CONDITION line 3/);
  await shot(page, 'laptop-rules');
  await page.click('#rule-list tbody tr:first-child input[type=checkbox]');
  await page.close();
});

test('phone width: every page fits the screen (no sideways scrolling)', { skip }, async () => {
  const page = await signedIn('phone');
  for (const p of ['overview', 'alerts', 'images', 'compliance', 'rules']) {
    await page.goto(`${up.base}/#/${p}`);
    await page.waitForSelector(`#${p}`);
    // the live stream keeps the network busy: wait for the page's own content instead
    await page.waitForFunction((id) => !!document.querySelector(`#${id} table, #${id} .card`), p);
    await page.waitForTimeout(300);
    const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    // name the elements that stick out, so a failure says what to fix
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')} (${Math.round(e.getBoundingClientRect().right)}px: ${(e.textContent ?? '').slice(0, 40)})`),
    );
    await shot(page, `phone-${p}`);
    assert.ok(scroll <= width + 1, `${p}: page is ${scroll}px wide on a ${width}px screen: ${wide.join(', ')}`);
  }
  await page.goto(`${up.base}/#/alerts`);
  await page.click('#alert-list tbody tr:first-child td.rule a');
  await page.waitForSelector('#detail-fields tr');
  await shot(page, 'phone-detail');
  await page.close();
});

test('without a built UI, vigil up says so at start and / explains how to build it; the API still answers', async () => {
  const { startVigil } = await import('../../src/server/index.ts');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const data = mkdtempSync(join(tmpdir(), 'vigil-noui-'));
  const lines: string[] = [];
  const running = await startVigil({ host: '127.0.0.1', port: 0, dataDir: data, rules: [projectPath('rules/vigil_rules.yaml')], live: false, webDir: join(data, 'no-dist'), log: (l) => lines.push(l) });
  try {
    assert.ok(lines.some((l) => /UI not built: .*npm run build:web/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /step \d+\/\d+ http: .*UI not built/.test(l)), lines.join('\n'));
    const r = await fetch(running.url + '/');
    assert.equal(r.status, 503);
    assert.match(await r.text(), /not built.*npm run build:web/);
    assert.equal((await fetch(running.url + '/healthz')).status, 200);
    assert.equal((await fetch(running.url + '/assets/x.js')).status, 404);
  } finally {
    await running.stop();
    rmSync(data, { recursive: true, force: true });
  }
});
