/**
 * `vigil up`: the store, default rules, Falco ingest, Kubernetes audit webhook, live
 * detection when the host allows it, the HTTP API and the web UI in one process.
 * SIGTERM/SIGINT stop accepting, drain the outbox and exit 0.
 * Exit codes: 0 stopped cleanly, 1 a start-up step failed, 2 misuse.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError, loadConfig, type VigilConfig } from '../core/index.ts';
import { channelsFromConfig, type Channel } from '../outputs/index.ts';
import { startVigil } from '../server/index.ts';
import { parseListen } from './k8saudit.ts';
import { collect, DEFAULT_RULES, printDiagnostics, ruleFilesOrDefault } from './render.ts';
import { ruleSelection, type RuleSelection } from './detect-output.ts';

interface UpOpts {
  listen: string;
  data: string;
  store?: string;
  rules?: string[];
  live: boolean;
  config?: string;
  tlsCert?: string;
  tlsKey?: string;
  metricsPublic?: boolean;
  minPriority?: string;
  ruleMatching?: string;
}

async function up(opts: UpOpts): Promise<number> {
  const listen = parseListen(opts.listen);
  if (!listen) {
    process.stderr.write(`--listen must be host:port, got '${opts.listen}'\n`);
    return 2;
  }
  const rules = ruleFilesOrDefault(opts.rules);
  if (!rules) return 2;
  if (!!opts.tlsCert !== !!opts.tlsKey) {
    process.stderr.write('--tls-cert and --tls-key go together\n');
    return 2;
  }
  let tls;
  try {
    if (opts.tlsCert && opts.tlsKey) tls = { cert: readFileSync(opts.tlsCert), key: readFileSync(opts.tlsKey) };
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  let channels: Channel[] = [];
  let config: VigilConfig | undefined;
  let select: RuleSelection;
  try {
    if (opts.config) {
      config = loadConfig({ file: opts.config }).config;
      channels = channelsFromConfig(config);
    }
    // the flags win over the file's priority / rule_matching, as in the other detection commands
    select = ruleSelection(config ?? loadConfig({ text: '{}' }).config, opts);
  } catch (e) {
    // a refused configuration is misuse, like in run/replay: nothing has started
    if (e instanceof ConfigError) {
      printDiagnostics(e.diagnostics);
      return 2;
    }
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  const log = (line: string) => process.stderr.write(`vigil up: ${line}\n`);
  let running;
  try {
    running = await startVigil({ host: listen.host, port: listen.port, dataDir: opts.data, storeUrl: opts.store, rules, live: opts.live, channels, config, tls, metricsPublic: opts.metricsPublic, ruleSelection: select, log });
  } catch {
    return 1;
  }
  log(running.ui ? `ready: open ${running.url}/ and paste the token` : `ready: API at ${running.url}/api/v1 (the web UI is not built: npm run build:web)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log('stopping: draining the outbox');
  await running.stop();
  log('stopped');
  return 0;
}

/** Registers `vigil up`. */
export function upCommands(program: Command): void {
  program
    .command('up')
    .description('run Vigil on this machine: API + web UI, Falco ingest, k8s audit webhook, live detection when possible')
    .option('--listen <host:port>', 'address of the API and UI', '127.0.0.1:8765')
    .option('--data <dir>', 'data folder (SQLite store, token digests)', './.vigil')
    .option('--store <url>', 'store URL instead of <data>/vigil.db (postgres://... for PostgreSQL)')
    .option('-r, --rules <file>', `rules file (repeatable; default ${DEFAULT_RULES})`, collect)
    .option('-c, --config <file>', 'vigil.yaml: also deliver alerts to the output channels configured there')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM)')
    .option('--tls-key <file>', 'private key of --tls-cert (PEM)')
    .option('--no-live', 'do not try live detection')
    .option('--rule-matching <mode>', 'first or all (default: rule_matching from -c, else first)')
    .option('--min-priority <priority>', 'ignore rules below this priority (default: priority from -c, else debug)')
    .option('--metrics-public', 'serve GET /metrics without a token (as Falco and node_exporter do)')
    .action(async (opts: UpOpts) => {
      process.exitCode = await up(opts);
    });
}
