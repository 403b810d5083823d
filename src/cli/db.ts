/**
 * `vigil db import|status|update`: the vulnerability database.
 * Exit codes: 0 done, 2 invalid input or misuse.
 * @module
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { VigilError } from '../core/index.ts';
import {
  defaultDbPath,
  importPath,
  updateFromFeeds,
  VulnDb,
  type DownloadProgress,
} from '../scan/index.ts';
import { collect, parseOutputOptions, printDiagnostics, reportInputError } from './render.ts';

function wantsJson(output: string[] | undefined): boolean {
  return (
    (output ?? []).includes('json') ||
    parseOutputOptions(output?.filter((x) => x.includes('='))).format === 'json'
  );
}

/** Registers the `vigil db` commands. */
export function dbCommands(program: Command): void {
  const db = program.command('db').description('vulnerability database');
  db.command('import')
    .description(
      'build the database offline from feed files: OSV JSON, Alpine secdb, Debian tracker JSON or DSA/DLA lists, npm advisories, Trivy fixtures',
    )
    .argument('<paths...>', 'files or directories')
    .option('--db <file>', 'database file (default $VIGIL_VULNDB or .vigil/vulndb.sqlite)')
    .option('-o, --output <format>', 'text or json', collect)
    .action((paths: string[], opts: { db?: string; output?: string[] }) => {
      const file = opts.db ?? defaultDbPath();
      try {
        const store = new VulnDb(file);
        const sums = paths.map((p) => {
          if (!existsSync(p))
            throw new VigilError('VULNDB_IMPORT_NOT_FOUND', `no such file or directory: ${p}`, {
              file: p,
            });
          return importPath(store, p);
        });
        const counts = store.counts();
        store.close();
        const diagnostics = sums.flatMap((s) => s.diagnostics);
        printDiagnostics(diagnostics);
        const out = {
          database: file,
          files: sums.reduce((n, s) => n + s.files, 0),
          skipped: sums.reduce((n, s) => n + s.skipped, 0),
          ...counts,
        };
        process.stdout.write(
          wantsJson(opts.output)
            ? JSON.stringify(out, null, 2) + '\n'
            : `imported ${out.files} files (${out.skipped} skipped) into ${file}: ${counts.advisories} advisories, ${counts.vulnerabilities} vulnerabilities\n`,
        );
      } catch (e) {
        reportInputError(e);
      }
    });
  db.command('status')
    .description('sources, counts and age of the database')
    .option('--db <file>', 'database file')
    .option('-o, --output <format>', 'text or json', collect)
    .action((opts: { db?: string; output?: string[] }) => {
      const file = opts.db ?? defaultDbPath();
      try {
        if (!existsSync(file))
          throw new VigilError(
            'VULNDB_MISSING',
            `no vulnerability database at ${file} (run "vigil db import")`,
            { file },
          );
        const store = new VulnDb(file, { readonly: true });
        const out = {
          database: file,
          schemaVersion: store.meta('schema_version'),
          updatedAt: store.meta('updated_at'),
          ...store.counts(),
          sources: store.sources(),
        };
        store.close();
        if (wantsJson(opts.output)) process.stdout.write(JSON.stringify(out, null, 2) + '\n');
        else {
          const age = out.updatedAt
            ? `${Math.round((Date.now() - Date.parse(out.updatedAt)) / 3600e3)} h ago`
            : 'never';
          const lines = [
            `${file}: ${out.advisories} advisories, ${out.vulnerabilities} vulnerabilities, updated ${age}`,
          ];
          for (const s of out.sources)
            lines.push(
              `  ${s.id.padEnd(14)} ${String(s.advisories).padStart(8)}  ${s.importedAt}  ${s.name}`,
            );
          process.stdout.write(lines.join('\n') + '\n');
        }
      } catch (e) {
        reportInputError(e);
      }
    });
  db.command('update')
    .description(
      'download public feeds (OSV all.zip per ecosystem, Alpine secdb, Debian tracker; resumable, verified) and import them',
    )
    .option('--db <file>', 'database file')
    .option('--feed <url>', 'feed URL to fetch instead of the default list (repeatable)', collect)
    .option(
      '--ecosystem <name>',
      'OSV ecosystem (repeatable; default Go, Maven, npm, PyPI)',
      collect,
    )
    .option('--alpine-release <x.y>', 'Alpine release for the secdb (repeatable)', collect)
    .option('--no-debian', 'skip the Debian security tracker')
    .option('--osv-base <url>', 'OSV bucket or mirror base URL')
    .option('--alpine-base <url>', 'Alpine secdb base URL')
    .option('--debian-url <url>', 'Debian security tracker JSON URL')
    .option('--cache <dir>', 'download cache (partial downloads resume from here)', '.vigil/feeds')
    .action(async (opts: UpdateCliOpts) => {
      const file = opts.db ?? defaultDbPath();
      const bar = progressBar();
      try {
        const store = new VulnDb(file);
        const bases = {
          ...(opts.osvBase ? { osv: opts.osvBase } : {}),
          ...(opts.alpineBase ? { alpine: opts.alpineBase } : {}),
          ...(opts.debianUrl ? { debian: opts.debianUrl } : {}),
        };
        const sum = await updateFromFeeds(store, {
          cacheDir: opts.cache,
          bases,
          debian: opts.debian,
          ...(opts.feed ? { feeds: opts.feed } : {}),
          ...(opts.ecosystem ? { ecosystems: opts.ecosystem } : {}),
          ...(opts.alpineRelease ? { alpine: opts.alpineRelease } : {}),
          ...(bar ? { progress: bar } : {}),
          log: (m) => {
            if (bar) process.stderr.write('\r\x1b[K');
            process.stderr.write(m + '\n');
          },
        });
        store.close();
        printDiagnostics(sum.diagnostics);
        process.stdout.write(
          `updated ${file}: ${sum.advisories} advisories from ${sum.files} feeds (${sum.skipped} skipped)\n`,
        );
        if (sum.files === 0) process.exitCode = 2;
      } catch (e) {
        reportInputError(e);
      }
    });
}

interface UpdateCliOpts {
  db?: string;
  feed?: string[];
  ecosystem?: string[];
  alpineRelease?: string[];
  debian: boolean;
  osvBase?: string;
  alpineBase?: string;
  debianUrl?: string;
  cache: string;
}

// A one-line bar on a terminal (redrawn at most every 100 ms); nothing when stderr is a pipe.
function progressBar(): ((p: DownloadProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 100 && p.got !== p.total) return;
    last = now;
    const mb = (n: number) => (n / 1e6).toFixed(1);
    const frac = p.total ? Math.min(1, p.got / p.total) : undefined;
    const bar =
      frac === undefined
        ? ''
        : `[${'#'.repeat(Math.round(frac * 30)).padEnd(30)}] ${Math.floor(frac * 100)}% `;
    process.stderr.write(
      `\r\x1b[K${bar}${p.feed} ${mb(p.got)}${p.total ? `/${mb(p.total)}` : ''} MB`,
    );
  };
}
