/**
 * `vigil pss check`: Pod Security Standards verdicts for manifests.
 * Exit codes: 0 all allowed, 1 some object denied or some document unreadable, 2 misuse.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { error, type Diagnostic } from '../core/index.ts';
import {
  checkManifestText,
  checkObjects,
  parseLevel,
  parseVersion,
  pssToGeneric,
  toHtml,
  toJUnit,
  toSarif,
  type KubeObject,
  type PssResult,
  scanLiveCluster,
} from '../compliance/index.ts';
import { collect, parseOutputOptions, printDiagnostics, reportInputError } from './render.ts';

/** Reads a file argument (`-` is stdin); unreadable files become diagnostics. */
export function readInput(file: string, diags: Diagnostic[]): string | undefined {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    diags.push(error('COMPLIANCE_READ_FAILED', `cannot read: ${(e as Error).message}`, { file }));
    return undefined;
  }
}

function renderText(results: PssResult[], level: string, version: string): string {
  const lines: string[] = [];
  for (const r of results) {
    const id = `${r.kind}/${r.namespace ? r.namespace + '/' : ''}${r.name}`;
    lines.push(`${r.allowed ? 'ALLOWED' : 'DENIED '} ${id} (${level}:${version})`);
    for (const v of r.violations) lines.push(`  - ${v.check}: ${v.message}`);
  }
  const denied = results.filter((r) => !r.allowed).length;
  lines.push(`${results.length} objects, ${results.length - denied} allowed, ${denied} denied`);
  return lines.join('\n') + '\n';
}

/** Registers `vigil pss check`. */
export function pssCommands(program: Command): void {
  // `pss check --version v1.N` is the documented contract; without positional options the
  // root program's own --version would swallow it
  program.enablePositionalOptions();
  const pss = program.command('pss').description('Pod Security Standards verdicts');
  pss
    .command('check')
    .description('check Pods and pod templates against a Pod Security Standards level')
    .requiredOption('--level <level>', 'baseline or restricted (privileged allows everything)')
    .option('--version <version>', 'policy version v1.N or latest', 'latest')
    .option(
      '-o, --output <format>',
      'text, json, sarif, junit or html (key=value overrides are accepted)',
      collect,
    )
    .option('--live', 'check the workloads of the cluster in the current kubeconfig')
    .option('--kubeconfig <file>', 'kubeconfig for --live')
    .argument('[files...]', 'manifest files (YAML/JSON, multi-document); - for stdin')
    .action(
      async (
        files: string[],
        opts: {
          level: string;
          version: string;
          output?: string[];
          live?: boolean;
          kubeconfig?: string;
        },
      ) => {
        if (!files.length && !opts.live) {
          process.stderr.write('pss check: give manifest files or --live\n');
          process.exitCode = 2;
          return;
        }
        let level, version;
        try {
          level = parseLevel(opts.level);
          version = parseVersion(opts.version);
        } catch (e) {
          reportInputError(e);
          return;
        }
        const fmt = (opts.output ?? []).filter((x) => !x.includes('=')).pop() ?? 'text';
        if (!['text', 'json', 'sarif', 'junit', 'html'].includes(fmt)) {
          process.stderr.write(`unknown output format '${fmt}'\n`);
          process.exitCode = 2;
          return;
        }
        const format =
          parseOutputOptions(opts.output?.filter((x) => x.includes('='))).format === 'json'
            ? 'json'
            : fmt;
        const diags: Diagnostic[] = [];
        const results: PssResult[] = [];
        for (const f of files) {
          const text = readInput(f, diags);
          if (text === undefined) continue;
          const r = checkManifestText(text, f, level, version);
          results.push(...r.results);
          diags.push(...r.diagnostics);
        }
        if (opts.live) {
          const live = await scanLiveCluster({ kubeconfig: opts.kubeconfig });
          diags.push(...live.diagnostics);
          // pods and replica sets owned by a controller are judged through that controller's template
          const owned = (o: KubeObject) => {
            const refs = o.metadata?.ownerReferences;
            return (
              Array.isArray(refs) &&
              refs.some((r: { controller?: boolean } | null) => r?.controller === true)
            );
          };
          const objs = live.objects
            .filter((o) => !owned(o))
            .map((obj) => ({ obj, file: 'cluster', doc: 0, line: 0 }));
          const r = checkObjects(objs, level, version);
          results.push(...r.results.map((x) => ({ ...x, file: undefined, line: undefined })));
          diags.push(...r.diagnostics.filter((d) => d.code !== 'PSS_KIND_NOT_CHECKED'));
        }
        const versionName = opts.version === 'latest' ? 'latest' : `v1.${version}`;
        if (format === 'json') {
          process.stdout.write(
            JSON.stringify({ level, version: versionName, results, diagnostics: diags }, null, 2) +
              '\n',
          );
        } else if (format !== 'text') {
          printDiagnostics(diags);
          const g = pssToGeneric(results, level, versionName);
          process.stdout.write(
            format === 'sarif'
              ? JSON.stringify(toSarif(g), null, 2) + '\n'
              : format === 'junit'
                ? toJUnit(g)
                : toHtml(g),
          );
        } else {
          printDiagnostics(diags);
          process.stdout.write(renderText(results, level, versionName));
        }
        const bad = results.some((r) => !r.allowed) || diags.some((d) => d.severity === 'error');
        process.exitCode = bad ? 1 : 0;
      },
    );
}
