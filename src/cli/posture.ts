/**
 * `vigil posture scan`: workload and cluster posture with framework scores and waivers.
 * Exit codes: 0 ok, 1 unreadable input or score below --fail-below, 2 misuse.
 * @module
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Diagnostic } from '../core/index.ts';
import {
  loadManifests,
  unknownKinds,
  parseWaivers,
  postureToGeneric,
  postureToPrometheus,
  scanObjects,
  toHtml,
  toJUnit,
  toSarif,
  type KubeObject,
  type PostureReport,
  type Waiver,
  scanLiveCluster,
} from '../compliance/index.ts';
import { collect, printDiagnostics } from './render.ts';
import { readInput } from './pss.ts';

const formats = ['text', 'json', 'sarif', 'junit', 'html', 'prometheus'] as const;

function renderText(r: PostureReport): string {
  const lines: string[] = [];
  for (const c of r.controls) {
    if (c.status === 'not-applicable') continue;
    lines.push(
      `[${c.status.toUpperCase()}] ${c.id} ${c.name} (${c.severity}) score ${c.score ?? 'n/a'}`,
    );
    for (const res of c.resources)
      lines.push(
        `    ${res.status === 'accepted' ? 'accepted' : 'failed  '} ${res.kind}/${res.namespace ? res.namespace + '/' : ''}${res.name}: ${res.messages.join('; ')}${res.waiver ? ` [waived: ${res.waiver.reason}]` : ''}`,
      );
  }
  lines.push('', 'Framework scores (mean of control scores; weighted by severity):');
  for (const f of r.frameworks)
    lines.push(
      `  ${f.id.padEnd(13)} ${String(f.score ?? 'n/a').padStart(6)}%  weighted ${String(f.weightedScore ?? 'n/a').padStart(6)}%  (${f.failed} failed, ${f.accepted} accepted, ${f.passed} passed, ${f.notApplicable} n/a)`,
    );
  return lines.join('\n') + '\n';
}

interface Opts {
  output?: string[];
  waivers?: string[];
  allowedRegistry?: string[];
  live?: boolean;
  kubeconfig?: string;
  includePassed?: boolean;
  excludeNamespace?: string[];
  failBelow?: string;
  outputFile?: string;
}

/** Registers `vigil posture scan`. */
export function postureCommands(program: Command): void {
  const posture = program.command('posture').description('workload and cluster posture');
  posture
    .command('scan')
    .description('scan manifests (or a live cluster with --live) against every posture control')
    .option('-o, --output <format>', `output format: ${formats.join(', ')}`, collect)
    .option('--waivers <file>', 'waivers YAML (repeatable)', collect)
    .option('--allowed-registry <prefix>', 'trusted image registry prefix (repeatable)', collect)
    .option('--live', 'scan the cluster of the current kubeconfig through the Kubernetes API')
    .option(
      '--kubeconfig <file>',
      'kubeconfig for --live (default: $KUBECONFIG, ~/.kube/config, in-cluster)',
    )
    .option(
      '--exclude-namespace <pattern>',
      'leave out objects in these namespaces (repeatable, * and ? patterns)',
      collect,
    )
    .option('--include-passed', 'list passing resources too')
    .option('--fail-below <percent>', 'exit 1 when the overall score is below this')
    .option('--output-file <file>', 'write the report here instead of stdout')
    .argument(
      '[files...]',
      'manifest files (YAML/JSON, multi-document, Helm or kustomize output); - for stdin',
    )
    .action(async (files: string[], opts: Opts) => {
      const fmt = (opts.output ?? ['text']).find((x) => !x.includes('=')) ?? 'text';
      if (!(formats as readonly string[]).includes(fmt) || (!files.length && !opts.live)) {
        process.stderr.write(
          !files.length && !opts.live
            ? 'posture scan: give manifest files or --live\n'
            : `unknown output format '${fmt}'\n`,
        );
        process.exitCode = 2;
        return;
      }
      const diags: Diagnostic[] = [];
      const objects: KubeObject[] = [];
      const where = new Map<string, { file: string; line: number }>();
      for (const f of files) {
        const text = readInput(f, diags);
        if (text === undefined) continue;
        const r = loadManifests(text, f);
        diags.push(...r.diagnostics, ...unknownKinds(r.objects));
        for (const m of r.objects) {
          objects.push(m.obj);
          where.set(
            `${m.obj.kind}/${m.obj.metadata?.namespace ?? ''}/${m.obj.metadata?.name ?? ''}`,
            { file: f, line: m.line },
          );
        }
      }
      if (opts.live) {
        const live = await scanLiveCluster({ kubeconfig: opts.kubeconfig });
        objects.push(...live.objects);
        diags.push(...live.diagnostics);
      }
      const waivers: Waiver[] = [];
      for (const w of opts.waivers ?? []) {
        const text = readInput(w, diags);
        if (text === undefined) continue;
        const r = parseWaivers(text, w);
        waivers.push(...r.waivers);
        diags.push(...r.diagnostics);
      }
      const report = scanObjects(objects, {
        waivers,
        config: { allowedRegistries: opts.allowedRegistry ?? [] },
        includePassed: opts.includePassed,
        excludeNamespaces: opts.excludeNamespace,
      });
      report.diagnostics.unshift(...diags);
      for (const c of report.controls)
        for (const res of c.resources)
          Object.assign(res, where.get(`${res.kind}/${res.namespace}/${res.name}`));
      const generic = () => postureToGeneric(report, (k, ns, n) => where.get(`${k}/${ns}/${n}`));
      const out =
        fmt === 'json'
          ? JSON.stringify(report, null, 2) + '\n'
          : fmt === 'sarif'
            ? JSON.stringify(toSarif(generic()), null, 2) + '\n'
            : fmt === 'junit'
              ? toJUnit(generic())
              : fmt === 'html'
                ? toHtml(generic())
                : fmt === 'prometheus'
                  ? postureToPrometheus(report)
                  : renderText(report);
      if (fmt !== 'json') printDiagnostics(report.diagnostics);
      if (opts.outputFile) writeFileSync(opts.outputFile, out);
      else process.stdout.write(out);
      const threshold = opts.failBelow === undefined ? undefined : Number(opts.failBelow);
      const below = threshold !== undefined && (report.score ?? 100) < threshold;
      process.exitCode = below || report.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
    });
}
