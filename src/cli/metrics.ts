/**
 * `vigil metrics serve|show`: the host and container metrics of this machine with
 * node_exporter's and cAdvisor's names. `serve` is a standalone exporter (GET /metrics, like
 * node_exporter on :9100); `show` prints one scrape (text exposition, or `-o json`).
 * Container image and pod labels come from containerd when its socket answers.
 * Exit codes: 0 ok (a failed collector is reported on stderr, its families left out), 2 misuse.
 * @module
 */
import type { Command } from 'commander';
import { formatDiagnostic, VigilError } from '../core/index.ts';
import { collectors, DEFAULT_LISTEN, exposition, parseListen, scrape, serveMetrics, type ContainerFactsSource } from '../metrics/index.ts';

interface ContainerOpts {
  containerdSocket?: string;
  containers?: boolean;
}

/** A containerd metadata resolver when wanted and a socket answers; undefined otherwise. */
async function containerFacts(o: ContainerOpts, follow: boolean): Promise<{ facts?: ContainerFactsSource; stop: () => void }> {
  if (o.containers === false) return { stop: () => undefined };
  const { ContainerMetadataResolver, detectSocket } = await import('../k8s/index.ts');
  const socket = detectSocket(o.containerdSocket);
  if (!socket) return { stop: () => undefined };
  const r = new ContainerMetadataResolver({ socket, follow, onError: (e) => process.stderr.write(`containers: ${e.code}: ${e.message}\n`) });
  await r.start();
  return { facts: r.available ? r : undefined, stop: () => r.stop() };
}

const containerOptions = (c: Command) =>
  c.option('--containerd-socket <path>', 'containerd socket for image and pod labels (default: k3s, then containerd)')
    .option('--no-containers', 'do not ask containerd for container metadata');

/** Registers `vigil metrics`. */
export function metricsCommands(program: Command): void {
  const metrics = program.command('metrics').description('host and container metrics (node_exporter and cAdvisor names)');

  containerOptions(metrics.command('show'))
    .description('print one scrape of this host: Prometheus text, or -o json')
    .option('-o, --output <format>', 'json for one JSON document')
    .action(async (o: ContainerOpts & { output?: string }) => {
      if (o.output !== undefined && o.output !== 'json' && o.output !== 'text') {
        process.stderr.write(`unknown output format '${o.output}' (expected json or text)\n`);
        process.exitCode = 2;
        return;
      }
      const c = await containerFacts(o, false);
      try {
        const r = await scrape(collectors({ containers: c.facts }));
        for (const e of r.errors) process.stderr.write(`${formatDiagnostic(e)}\n`);
        if (o.output === 'json') process.stdout.write(`${JSON.stringify({ families: r.families, errors: r.errors })}\n`);
        else process.stdout.write(await exposition(r.families));
      } finally {
        c.stop();
      }
    });

  containerOptions(metrics.command('serve'))
    .description(`serve GET /metrics for Prometheus (no authentication, like node_exporter; default ${DEFAULT_LISTEN})`)
    .option('--listen <host:port>', 'address to listen on', DEFAULT_LISTEN)
    .action(async (o: ContainerOpts & { listen: string }) => {
      let addr;
      try {
        addr = parseListen(o.listen);
      } catch (e) {
        process.stderr.write(`${e instanceof VigilError ? formatDiagnostic(e.diagnostic) : (e as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      const c = await containerFacts(o, true);
      const s = await serveMetrics(collectors({ containers: c.facts }), { ...addr, onError: (m) => process.stderr.write(`metrics: ${m}\n`) });
      process.stderr.write(`metrics: serving ${s.url}/metrics${c.facts ? '' : ' (no containerd: containers without image and pod labels)'}\n`);
      await new Promise<void>((resolve) => {
        const done = () => resolve();
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      await s.close();
      c.stop();
    });
}
