/**
 * The `vigil up` runtime: named start-up steps (data folder, store, token, rules, outbox,
 * ingest, audit webhook, live detection, HTTP), each logged, and a stop that drains.
 * @module
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { formatDiagnostic, loadConfig, projectPath, VigilError, type Alert, type Diagnostic, type Priority, type VigilConfig } from '../core/index.ts';
import { adaptiveSyscalls, AuditDetector, loadAuditRules, loadSyscallRules, replayAuditFile, SyscallEngine } from '../engine/index.ts';
import { channelsFromConfig, ingestHandler, Outbox, outboxOptionsFromConfig, reopenOnSighup, type Channel } from '../outputs/index.ts';
import type { ContainerFactsSource, DetectionStats, SensorCounts } from '../metrics/index.ts';
import { parsePriority, type CompiledRule } from '../rules/index.ts';
import { fieldTables, webhookHandler } from '../sources/index.ts';
import { alertTimeMs, openStore, scheduleRetention, type Store } from '../store/index.ts';
import { activityFeed, type ActivityFeed } from './activity-feed.ts';
import { buildApp } from './app.ts';
import { uploadedFiles } from './routes/rules.ts';
import { scanWithDb } from './scan-runner.ts';
import { uiBuilt, UI_NOT_BUILT } from './static.ts';
import { AlertBus } from './bus.ts';
import type { ReplayResult, ServerContext } from './context.ts';
import { streams } from './routes/alerts.ts';
import { TokenStore } from './tokens.ts';

/** Settings of `vigil up`. */
export interface UpOptions {
  host: string;
  port: number;
  dataDir: string;
  /** Store URL (default `<dataDir>/vigil.db`). */
  storeUrl?: string;
  rules: string[];
  live: boolean;
  /**
   * vigil.yaml / falco.yaml (`-c`): the output channels when `channels` is not given, the
   * outbox (`outputs_queue.capacity`, `outbox.*`; `buffered_outputs` and `http_output.*` shape
   * the channels), the activity recorder (`audit.*`), ingest body limit and `store.retention`.
   * Without it: Falco's defaults for the outbox and audit, no channels, no retention.
   */
  config?: VigilConfig;
  /** Output channels the outbox delivers to; default: those `config` enables. Alerts are stored either way. */
  channels?: Channel[];
  /** Vulnerability database for API scans (default `<dataDir>/vulndb.sqlite`, as `vigil db import` writes it). */
  vulnDb?: string;
  /** Built UI folder (default `web/dist` of the project). */
  webDir?: string;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** GET /metrics without a token (as Falco and node_exporter serve it); default: read or admin token. */
  metricsPublic?: boolean;
  /**
   * Falco's rule selection for every rule load (live, webhook, API replays): the minimum
   * priority and rule_matching. Default: `config`'s `priority` and `rule_matching`.
   */
  ruleSelection?: { minPriority?: Priority; ruleMatching?: 'first' | 'all' };
  log: (line: string) => void;
}

/** A running Vigil. */
export interface Running {
  url: string;
  port: number;
  /** Whether the web UI is built and served at `/`. */
  ui: boolean;
  /** Stops accepting, drains the outbox, closes the store. */
  stop: () => Promise<void>;
}

/** Starts everything; throws `VigilError` when a required step fails. */
export async function startVigil(o: UpOptions): Promise<Running> {
  const steps: { name: string; run: () => Promise<string> }[] = [];
  // the defaults are the schema's, so `vigil up` without -c behaves as with an empty vigil.yaml
  const cfg = o.config ?? loadConfig({ text: '{}' }).config;
  // Like the CLI: Falco's append_output (default [{suggested_output: true}]) applies only with -c, so a bare start prints rule outputs as written.
  const appendOutput = o.config ? cfg.append_output : undefined;
  const configured = parsePriority(cfg.priority);
  const select = o.ruleSelection ?? { minPriority: configured === 'Debug' ? undefined : configured, ruleMatching: cfg.rule_matching };
  const loadOpts = { appendOutput, minPriority: select.minPriority, ruleMatching: select.ruleMatching };
  let feed: ActivityFeed | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  let store!: Store;
  let ready = false;
  const bus = new AlertBus();
  let outbox!: Outbox;
  let tokens!: TokenStore;
  let compiled: CompiledRule<unknown>[] = [];
  let ruleFiles = o.rules;
  let warnings: Diagnostic[] = [];
  let syscallRules!: ReturnType<typeof loadSyscallRules>;
  let auditRules!: ReturnType<typeof loadAuditRules>;
  const submit = async (a: Alert): Promise<string> => {
    const id = await outbox.submit(a);
    const ts = alertTimeMs(a.time);
    bus.publish({ id, ts: Number.isFinite(ts) ? ts : Date.now(), alert: a });
    return id;
  };
  const store_ = (a: Alert) => void submit(a).catch((e: Error) => o.log(`store: alert lost: ${e.message}`));

  steps.push({ name: 'data folder', run: async () => (mkdirSync(o.dataDir, { recursive: true, mode: 0o700 }), o.dataDir) });
  steps.push({
    name: 'store',
    run: async () => {
      const url = o.storeUrl ?? join(o.dataDir, 'vigil.db');
      store = await openStore(url);
      cleanups.unshift(() => store.close());
      let retention = 'no retention (no -c)';
      if (o.config) {
        const r = { maxAgeMs: cfg.store.retention.max_age, maxBytes: cfg.store.retention.max_bytes };
        const stopRetention = scheduleRetention(store, r, 600_000, { onError: (e) => o.log(`retention: ${e.message}`) });
        cleanups.unshift(async () => stopRetention());
        retention = `retention ${r.maxAgeMs} ms, ${r.maxBytes} bytes`;
      }
      feed = activityFeed(store, cfg.audit, (e) => o.log(`audit: activity lost: ${e.message}`));
      // flushed before the store closes (cleanups run first to last)
      if (feed) cleanups.unshift(feed.close);
      return `${store.kind} ${url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')}; ${retention}; activity audit ${feed ? cfg.audit.kinds.join(',') : 'off'}`;
    },
  });
  steps.push({
    name: 'token',
    run: async () => {
      tokens = new TokenStore(o.dataDir);
      if (tokens.size) return `${tokens.size} token(s) in ${tokens.file}`;
      const t = tokens.create('admin');
      // the only time the token text exists outside the caller: it is stored as a digest
      o.log(`admin token (shown once, stored hashed): ${t.token}`);
      return `created admin token ${t.id}`;
    },
  });
  steps.push({
    name: 'rules',
    run: async () => {
      // files uploaded through the API are kept in the data folder and load after the given ones
      ruleFiles = [...o.rules, ...uploadedFiles({ dataDir: o.dataDir })];
      syscallRules = loadSyscallRules(ruleFiles, loadOpts);
      const errs = [...syscallRules.readErrors, ...syscallRules.result.errors];
      if (errs.length) throw new VigilError(errs[0].code, `rules: ${errs.map(formatDiagnostic).join('; ')}`);
      auditRules = loadAuditRules(ruleFiles, { fieldTables: fieldTables(), ...loadOpts });
      compiled = syscallRules.result.rules as CompiledRule<unknown>[];
      warnings = syscallRules.result.warnings;
      const n = compiled.filter((r) => r.source === 'syscall').length;
      return `${compiled.length} rules (${n} syscall, ${auditRules.auditRules} k8s_audit) from ${ruleFiles.join(', ')}`;
    },
  });
  steps.push({
    name: 'outbox',
    run: async () => {
      const channels = o.channels ?? (o.config ? channelsFromConfig(o.config) : []);
      outbox = new Outbox(store, channels, { ...outboxOptionsFromConfig(cfg), onEvent: (e) => o.log(`outbox: ${e.message}`) });
      outbox.start();
      const unhook = reopenOnSighup(channels);
      cleanups.unshift(async () => {
        unhook();
        // outbox.drain_timeout_seconds when set; else 10 s, short enough for a service manager's stop
        await outbox.drain((cfg.outbox.drain_timeout_seconds ?? 10) * 1000).catch((e: Error) => o.log(`outbox: ${e.message}`));
        await outbox.stop();
      });
      return `alerts stored before they are acknowledged; channels: ${channels.map((c) => c.name).join(', ') || 'none (store only)'}`;
    },
  });

  const replay = async (path: string, rules?: string[]): Promise<ReplayResult> => {
    const files = rules?.length ? rules : ruleFiles;
    const pending: Promise<string>[] = [];
    if (/\.(json|jsonl|log)$/i.test(path)) {
      const ar = rules?.length ? loadAuditRules(files, { fieldTables: fieldTables(), ...loadOpts }) : auditRules;
      if (!ar.ok) return { kind: 'k8s_audit', events: 0, alerts: 0, byRule: {}, errors: ar.errors };
      const s = await replayAuditFile(path, ar.ruleset, (a) => void pending.push(submit(a)));
      await Promise.all(pending);
      return { kind: 'k8s_audit', events: s.events, alerts: s.alerts, byRule: Object.fromEntries(s.byRule), errors: s.errors };
    }
    const sr = rules?.length ? loadSyscallRules(files, loadOpts) : syscallRules;
    const errs = [...sr.readErrors, ...sr.result.errors];
    if (errs.length) return { kind: 'scap', events: 0, alerts: 0, byRule: {}, errors: errs };
    const engine = new SyscallEngine(sr.ruleset, { onAlert: (a) => void pending.push(submit(a)), onEvent: feed?.onEvent });
    const errors: Diagnostic[] = [];
    try {
      await engine.run(path, path);
    } catch (e) {
      if (!(e instanceof VigilError)) throw e;
      errors.push(e.diagnostic);
    }
    // the caller reads the store next: alerts and activity are committed before answering
    await Promise.all([...pending, feed?.recorder.flush()]);
    return { kind: 'scap', events: engine.counters.eventsRead, alerts: engine.counters.alerts, byRule: Object.fromEntries(engine.counters.byRule), errors };
  };

  let live: LiveDetection | undefined;
  steps.push({
    name: 'live detection',
    run: async () => {
      if (!o.live) return 'off (--no-live)';
      live = await startLive(syscallRules, store_, feed, o.log);
      if (!live) return 'unavailable (the rest keeps running)';
      cleanups.unshift(live.stop);
      return 'sensor running';
    },
  });

  let app!: Awaited<ReturnType<typeof buildApp>>;
  const webDir = o.webDir ?? projectPath('web/dist');
  let url = '';
  steps.push({
    name: 'http',
    run: async () => {
      const detector = new AuditDetector(auditRules.ruleset, store_);
      const metrics = await metricsSource(compiled, detector, live, o.metricsPublic === true);
      cleanups.unshift(async () => metrics.stop());
      const webhook = webhookHandler({ path: '/k8s-audit', allowUnauthenticated: true, onEvents: (evs) => evs.forEach((e) => detector.evaluate(e)) });
      const ctx: ServerContext = {
        store, tokens, bus, submit, replay,
        rules: {
          files: ruleFiles, compiled, warnings,
          isActive: (r) => (r.source === 'k8s_audit' ? auditRules.ruleset.isActive(r as never) : syscallRules.ruleset.isActive(r as never)),
          setEnabled: (name, on) => {
            // wildcards in a rule's own name would widen the match: only exact names are accepted
            if (/[*?]/.test(name) || !compiled.some((r) => r.name === name)) return 0;
            return Math.max(syscallRules.ruleset.setEnabledByName(name, on), auditRules.ruleset.setEnabledByName(name, on));
          },
        },
        ingest: ingestHandler(submit, { maxBodyBytes: cfg.ingest.max_body_bytes }),
        auditWebhook: webhook.handle,
        webDir,
        dataDir: o.dataDir,
        scan: (kind, ref) => scanWithDb(kind, ref, o.vulnDb ?? join(o.dataDir, 'vulndb.sqlite')),
        ready: () => ready,
        metrics,
      };
      app = await buildApp(ctx, { tls: o.tls });
      await app.listen({ host: o.host, port: o.port });
      const port = (app.server.address() as AddressInfo).port;
      url = `${o.tls ? 'https' : 'http'}://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;
      cleanups.unshift(async () => {
        // live streams never finish on their own: end them and their keep-alive sockets
        for (const s of streams) {
          s.end();
          s.socket?.end();
        }
        // requests in flight get a grace period; connections still open after it are cut
        const force = setTimeout(() => app.server.closeAllConnections(), 5000);
        await app.close();
        clearTimeout(force);
      });
      if (!uiBuilt(webDir)) o.log(`UI not built: ${UI_NOT_BUILT}`);
      return `${url} (API ${url}/api/v1, UI ${uiBuilt(webDir) ? `${url}/` : 'not built'}, Falco ingest ${url}/api/v1/ingest/falco, audit webhook ${url}/api/v1/ingest/k8s-audit)`;
    },
  });

  const stop = async () => {
    ready = false;
    for (const c of cleanups.splice(0)) await c().catch((e: Error) => o.log(`stop: ${e.message}`));
  };
  for (const [i, s] of steps.entries()) {
    try {
      o.log(`step ${i + 1}/${steps.length} ${s.name}: ${await s.run()}`);
    } catch (e) {
      o.log(`step ${i + 1}/${steps.length} ${s.name}: FAILED: ${(e as Error).message}`);
      await stop();
      throw e;
    }
  }
  ready = true;
  return { url, port: (app.server.address() as AddressInfo).port, ui: uiBuilt(webDir), stop };
}

/**
 * Starts live detection when the host can; otherwise logs why and returns undefined. As `vigil
 * run`: the adaptive syscall set, a supervised sensor (restarted with back-off), and container
 * metadata from containerd when its socket answers.
 */
async function startLive(rules: ReturnType<typeof loadSyscallRules>, sink: (a: Alert) => void, feed: ActivityFeed | undefined, log: (l: string) => void): Promise<LiveDetection | undefined> {
  let live: typeof import('../sources/index.ts');
  try {
    live = await import('../sources/index.ts');
  } catch (e) {
    log(`live detection unavailable: ${(e as Error).message}`);
    return undefined;
  }
  const problems = live.sensorProblems();
  if (problems.length) {
    log(`live detection unavailable: ${problems.map((p) => `${p.code}: ${p.message}`).join('; ')}`);
    return undefined;
  }
  const drops = new live.DropMonitor();
  const sensor = new live.SensorSupervisor({
    syscalls: adaptiveSyscalls(rules.result.rules),
    onStats: (s) => {
      const a = drops.observe(s);
      if (a) sink(a);
    },
    onLog: (l) => log(`sensor: ${l}`),
    onExit: (x) => log(`sensor exited (${x.signal ?? `code ${x.code}`})${x.willRestart ? `; restart ${x.restarts} in ${x.delayMs} ms` : '; not restarting'}`),
  });
  const engine = new SyscallEngine(rules.ruleset, { onAlert: sink, onEvent: feed?.onEvent });
  const containers = new (await import('../k8s/index.ts')).ContainerMetadataResolver({
    onUpdate: (m) => live.applyContainerMetadata(engine.state, m),
    onError: (e) => log(`container metadata: ${e.code}: ${e.message}`),
  });
  await containers.start();
  const done = sensor
    .run((stream) => engine.run(containers.available ? stream.pipe(new live.ContainerGate(engine.state, containers)) : stream, 'live'))
    .catch((e: Error) => log(`live detection stopped: ${e.message}`));
  return {
    engine, sensor, containers,
    stop: async () => {
      await sensor.stop();
      await done;
      containers.stop();
    },
  };
}

/** Live detection's parts the metrics read. */
interface LiveDetection {
  engine: SyscallEngine;
  sensor: { stats: SensorCounts };
  containers: ContainerFactsSource & { available: boolean };
  stop: () => Promise<void>;
}

/**
 * GET /metrics of `vigil up`: the host and container collectors plus Vigil's counters under
 * Falco's names (live engine and sensor, rule matches of live detection and the audit webhook).
 * Container labels come from live detection's containerd resolver, or one of its own.
 */
async function metricsSource(compiled: CompiledRule<unknown>[], detector: AuditDetector, live: LiveDetection | undefined, isPublic: boolean) {
  const m = await import('../metrics/index.ts');
  let facts: ContainerFactsSource | undefined = live?.containers.available ? live.containers : undefined;
  let stopFacts = () => undefined as void;
  if (!live) {
    const k8s = await import('../k8s/index.ts');
    const socket = k8s.detectSocket();
    if (socket) {
      const r = new k8s.ContainerMetadataResolver({ socket });
      await r.start();
      if (r.available) facts = r;
      stopFacts = () => r.stop();
    }
  }
  const byName = new Map(compiled.map((r) => [r.name, r]));
  const detection: DetectionStats = {
    startedAtMs: Date.now(),
    eventsRead: () => live?.engine.counters.eventsRead,
    sensor: () => live?.sensor.stats,
    matches: () => {
      const sum = new Map(live?.engine.counters.byRule ?? []);
      for (const [k, n] of detector.counters.byRule) sum.set(k, (sum.get(k) ?? 0) + n);
      return sum;
    },
    rule: (name) => byName.get(name),
    threads: () => live?.engine.state.threads.size,
    containers: () => live?.engine.state.containers.size,
  };
  const list = m.collectors({ containers: facts, detection });
  return {
    public: isPublic,
    text: async () => ({ contentType: m.TEXT_CONTENT_TYPE, body: await m.metricsText(list) }),
    stop: stopFacts,
  };
}
