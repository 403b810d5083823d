/**
 * `vigil scan image|fs` and `vigil sbom`: inventory, vulnerabilities, reports and CI gates.
 * Exit codes: 0 clean (or below --fail-on), 1 findings at or above --fail-on, 2 invalid input or misuse.
 * @module
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { VigilError, warning, type Diagnostic } from '../core/index.ts';
import {
  applySuppressions,
  defaultDbPath,
  failsGate,
  parseFailOn,
  readIgnoreFile,
  readOpenVex,
  renderReport,
  REPORT_FORMATS,
  scanTarget,
  VulnDb,
  type ReportFormat,
} from '../scan/index.ts';
import { collect, parseOutputOptions, printDiagnostics } from './render.ts';

interface ScanOpts {
  input?: string;
  output?: string[];
  db?: string;
  failOn?: string;
  ignoreFile?: string;
  vex?: string[];
  platform?: string;
  username?: string;
  password?: string;
}

function chooseFormat(
  values: string[] | undefined,
  fallback: ReportFormat,
): ReportFormat | undefined {
  const plain = (values ?? []).filter((x) => !x.includes('=')).pop();
  if (plain === undefined)
    return parseOutputOptions(values?.filter((x) => x.includes('='))).format === 'json'
      ? 'json'
      : fallback;
  const f = plain === 'text' ? 'table' : plain === 'spdx' ? 'spdx-json' : plain;
  return (REPORT_FORMATS as readonly string[]).includes(f) ? (f as ReportFormat) : undefined;
}

async function run(
  kind: 'image' | 'fs',
  target: string | undefined,
  opts: ScanOpts,
  sbomOnly: boolean,
): Promise<number> {
  const path = opts.input ?? target;
  if (!path) {
    process.stderr.write(
      `scan ${kind}: give a path${kind === 'image' ? ' or --input FILE' : ''}\n`,
    );
    return 2;
  }
  const format = chooseFormat(opts.output, sbomOnly ? 'cyclonedx' : 'table');
  if (!format) {
    process.stderr.write(`unknown output format; one of ${REPORT_FORMATS.join(', ')}\n`);
    return 2;
  }
  const diags: Diagnostic[] = [];
  let db: VulnDb | undefined;
  try {
    const threshold = opts.failOn ? parseFailOn(opts.failOn) : undefined;
    const dbPath = opts.db ?? defaultDbPath();
    if (!sbomOnly) {
      if (existsSync(dbPath)) db = new VulnDb(dbPath, { readonly: true });
      else
        diags.push(
          warning(
            'SCAN_NO_DB',
            `no vulnerability database at ${dbPath}: inventory only (run "vigil db import")`,
            { file: dbPath },
          ),
        );
    }
    const [os, architecture, variant] = (opts.platform ?? '').split('/');
    const platform =
      opts.platform && os && architecture
        ? { os, architecture, ...(variant ? { variant } : {}) }
        : undefined;
    const auth = {
      ...(opts.username !== undefined ? { username: opts.username } : {}),
      ...(opts.password !== undefined ? { password: opts.password } : {}),
    };
    const result = await scanTarget(kind, path, db, { ...(platform ? { platform } : {}), auth });
    const ignore = opts.ignoreFile ? readIgnoreFile(opts.ignoreFile) : [];
    const vex = (opts.vex ?? []).flatMap((f) => readOpenVex(f));
    const { kept, suppressed } = applySuppressions(result.findings, ignore, vex);
    result.findings = kept;
    result.diagnostics.push(...diags);
    printDiagnostics(result.diagnostics);
    process.stdout.write(renderReport(format, result, suppressed));
    return threshold && failsGate(kept, threshold) ? 1 : 0;
  } catch (e) {
    if (e instanceof VigilError) {
      printDiagnostics([...diags, e.diagnostic]);
      return 2;
    }
    throw e;
  } finally {
    db?.close();
  }
}

function common(cmd: Command): Command {
  return cmd
    .option(
      '-o, --output <format>',
      `report format: ${REPORT_FORMATS.join(', ')} (key=value overrides are accepted)`,
      collect,
    )
    .option('--db <file>', 'vulnerability database (default $VIGIL_VULNDB or .vigil/vulndb.sqlite)')
    .option(
      '--fail-on <severity>',
      'exit 1 when a finding is at or above this severity (LOW, MEDIUM, HIGH, CRITICAL)',
    )
    .option(
      '--ignore-file <file>',
      'ignore rules: YAML {ignore: [{id, package, reason, expires}]} or one id per line',
    )
    .option(
      '--vex <file>',
      'OpenVEX document whose not_affected/fixed statements suppress findings (repeatable)',
      collect,
    );
}

/** Registers `vigil scan image|fs` and `vigil sbom image|fs`. */
export function scanCommands(program: Command): void {
  const scan = program.command('scan').description('image and directory vulnerability scanning');
  common(
    scan
      .command('image')
      .description(
        'scan a docker-archive or OCI image (tar, tar.gz, layout directory or registry reference)',
      ),
  )
    .argument(
      '[ref]',
      'image archive file, OCI layout directory, registry reference (host/repo:tag) or containerd://[NAMESPACE/]REF',
    )
    .option('--input <file>', 'image archive file (as docker save writes it)')
    .option(
      '--platform <os/arch[/variant]>',
      'platform to pick from a registry index (default: this host)',
    )
    .option('--username <user>', 'registry user (default: from ~/.docker/config.json)')
    .option('--password <password>', 'registry password (use with --username)')
    .action(async (ref: string | undefined, opts: ScanOpts) => {
      process.exitCode = await run('image', ref, opts, false);
    });
  common(scan.command('fs').description('scan a directory or root file system'))
    .argument('<path>', 'directory')
    .action(async (path: string, opts: ScanOpts) => {
      process.exitCode = await run('fs', path, opts, false);
    });
  const sbom = program
    .command('sbom')
    .description('software bill of materials (CycloneDX 1.5 or SPDX 2.3)');
  for (const kind of ['image', 'fs'] as const) {
    sbom
      .command(kind)
      .description(`SBOM of ${kind === 'image' ? 'an image archive or OCI layout' : 'a directory'}`)
      .argument('<path>', kind === 'image' ? 'image archive or layout' : 'directory')
      .option('-o, --output <format>', 'cyclonedx (default), spdx-json, json or table', collect)
      .action(async (path: string, opts: ScanOpts) => {
        process.exitCode = await run(kind, path, opts, true);
      });
  }
}
