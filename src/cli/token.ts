/**
 * `vigil token create|list|revoke`: API tokens of a data folder (the one `vigil up --data`
 * uses). The token text is printed once at creation; the folder keeps only its digest, and a
 * running `vigil up` picks up the change on its next request.
 * Exit codes: 0 ok, 1 unknown token id or unreadable token file, 2 misuse.
 * @module
 */
import { mkdirSync } from 'node:fs';
import type { Command } from 'commander';
import { formatDiagnostic, VigilError } from '../core/index.ts';
import { SCOPES, TokenStore, type Scope } from '../server/index.ts';

interface Opts {
  data: string;
  output?: string;
}

/** Opens the token file of a data folder; undefined after printing why. */
function open(data: string, create = false): TokenStore | undefined {
  try {
    if (create) mkdirSync(data, { recursive: true, mode: 0o700 });
    return new TokenStore(data);
  } catch (e) {
    process.stderr.write(`${e instanceof VigilError ? formatDiagnostic(e.diagnostic) : (e as Error).message}\n`);
    return undefined;
  }
}

/** Runs one subcommand, turning thrown diagnostics into exit code 1. */
function run(fn: () => number): void {
  try {
    process.exitCode = fn();
  } catch (e) {
    process.stderr.write(`${e instanceof VigilError ? formatDiagnostic(e.diagnostic) : (e as Error).message}\n`);
    process.exitCode = 1;
  }
}

/** Registers `vigil token`. */
export function tokenCommands(program: Command): void {
  const token = program.command('token').description('API tokens of a vigil up data folder: create, list, revoke');
  const common = (c: Command) => c.option('--data <dir>', 'data folder of vigil up', './.vigil').option('-o, --output <format>', 'json for machine-readable output');

  common(token.command('create'))
    .description('create a token and print it (shown once; only its digest is kept)')
    .requiredOption('--scope <scope>', `one of ${SCOPES.join(', ')}`)
    .option('--name <name>', 'what the token is for')
    .action((o: Opts & { scope: string; name?: string }) =>
      run(() => {
        if (!SCOPES.includes(o.scope as Scope)) {
          process.stderr.write(`--scope must be one of ${SCOPES.join(', ')}, got '${o.scope}'\n`);
          return 2;
        }
        const store = open(o.data, true);
        if (!store) return 1;
        const t = store.create(o.scope as Scope, o.name);
        if (o.output === 'json') process.stdout.write(JSON.stringify({ id: t.id, scope: o.scope, name: o.name, token: t.token }) + '\n');
        else {
          process.stdout.write(`${t.token}\n`);
          process.stderr.write(`token ${t.id} (${o.scope}) created; store it now, it cannot be shown again\n`);
        }
        return 0;
      }),
    );

  common(token.command('list'))
    .description('list tokens (id, scope, name, created; never the token text)')
    .action((o: Opts) =>
      run(() => {
        const store = open(o.data);
        if (!store) return 1;
        const list = store.list();
        if (o.output === 'json') process.stdout.write(JSON.stringify(list) + '\n');
        else for (const t of list) process.stdout.write(`${t.id}\t${t.scope}\t${t.created}\t${t.name ?? ''}\n`);
        return 0;
      }),
    );

  common(token.command('revoke'))
    .description('revoke a token by id')
    .argument('<id>', 'token id (from vigil token list)')
    .action((id: string, o: Opts) =>
      run(() => {
        const store = open(o.data);
        if (!store) return 1;
        if (!store.revoke(id)) {
          process.stderr.write(`no token with id '${id}' in ${store.file}\n`);
          return 1;
        }
        process.stderr.write(`token ${id} revoked\n`);
        return 0;
      }),
    );
}
