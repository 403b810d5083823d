/**
 * `vigil rules validate|list|show`: check and inspect Falco rules files.
 * Exit codes: 0 no errors, 1 errors in the rules (or an unreadable file), 2 misuse.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { error, type Diagnostic } from '../core/index.ts';
import { loadRules, type LoadResult, type RulesFile } from '../rules/index.ts';
import { fieldTables } from '../sources/index.ts';
import { collect, parseOutputOptions, printDiagnostics } from './render.ts';

function readFiles(names: string[], diags: Diagnostic[]): RulesFile[] {
  const out: RulesFile[] = [];
  for (const name of names) {
    try {
      out.push({ name, content: readFileSync(name === '-' ? 0 : name, 'utf8') });
    } catch (e) {
      diags.push(
        error('LOAD_ERR_FILE_READ', `Could not read file: ${(e as Error).message}`, { file: name }),
      );
    }
  }
  return out;
}

/** Parses `-o`, reads the files and loads them; undefined (exit code set) on misuse. */
async function load(
  files: string[],
  output: string[] | undefined,
): Promise<{ format: 'text' | 'json'; res: LoadResult } | undefined> {
  let format: 'text' | 'json';
  try {
    format = parseOutputOptions(output).format;
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exitCode = 2;
    return undefined;
  }
  const tables = fieldTables();
  const readErrors: Diagnostic[] = [];
  const contents = readFiles(files, readErrors);
  const res: LoadResult = readErrors.length
    ? {
        ok: false,
        errors: readErrors,
        warnings: [],
        counts: { rules: 0, macros: 0, lists: 0 },
        rules: [],
        lists: [],
        macros: [],
        schemaOk: false,
      }
    : loadRules(contents, { fieldTables: tables });
  return { format, res };
}

function summary(res: LoadResult): string {
  const c = res.counts;
  return `${res.ok ? 'OK' : 'INVALID'}: ${res.errors.length} errors, ${res.warnings.length} warnings; ${c.rules} rules, ${c.macros} macros, ${c.lists} lists\n`;
}

function failLoad(res: LoadResult, format: 'text' | 'json'): void {
  if (format === 'json')
    process.stdout.write(
      JSON.stringify({ ok: false, errors: res.errors, warnings: res.warnings }, null, 2) + '\n',
    );
  else printDiagnostics([...res.errors, ...res.warnings]);
  process.exitCode = 1;
}

function ruleRow(r: LoadResult['rules'][number]) {
  return {
    name: r.name,
    priority: r.priority,
    source: r.source,
    enabled: r.enabled,
    tags: r.tags,
    eventTypes: r.eventTypes ? [...r.eventTypes].sort() : null,
  };
}

/** Registers `vigil rules`. */
export function rulesCommands(program: Command): void {
  const rules = program.command('rules').description('check and inspect Falco rules files');
  const outOpt = [
    '-o, --output <format>',
    'json or text (repeatable; key=value overrides)',
  ] as const;

  rules
    .command('validate')
    .description('load rules files in order and report errors and warnings')
    .option(outOpt[0], outOpt[1], collect)
    .argument('<files...>', 'rules files, loaded in order (- for stdin)')
    .action(async (files: string[], opts: { output?: string[] }) => {
      const l = await load(files, opts.output);
      if (!l) return;
      const { format, res } = l;
      if (format === 'json') {
        process.stdout.write(
          JSON.stringify(
            { ok: res.ok, errors: res.errors, warnings: res.warnings, counts: res.counts },
            null,
            2,
          ) + '\n',
        );
      } else {
        printDiagnostics([...res.errors, ...res.warnings]);
        process.stdout.write(summary(res));
      }
      process.exitCode = res.ok ? 0 : 1;
    });

  rules
    .command('list')
    .description('list the rules: priority, source, tags, enabled, event types')
    .requiredOption('-r, --rules <file>', 'rules file (repeatable, loaded in order)', collect)
    .option(outOpt[0], outOpt[1], collect)
    .action(async (opts: { rules: string[]; output?: string[] }) => {
      const l = await load(opts.rules, opts.output);
      if (!l) return;
      const { format, res } = l;
      if (!res.ok) return failLoad(res, format);
      const rows = res.rules.map(ruleRow);
      if (format === 'json') {
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      } else {
        for (const r of rows) {
          const types = r.eventTypes
            ? r.eventTypes.length > 8
              ? `${r.eventTypes.slice(0, 8).join(',')},...(${r.eventTypes.length})`
              : r.eventTypes.join(',')
            : '*';
          process.stdout.write(
            `${r.name}\t${r.priority}\t${r.source}\t${r.enabled ? 'enabled' : 'disabled'}\t[${r.tags.join(',')}]\t${types}\n`,
          );
        }
      }
      process.exitCode = 0;
    });

  rules
    .command('show')
    .description('show one rule; with --compiled, its canonical compiled condition on one line')
    .requiredOption('-r, --rules <file>', 'rules file (repeatable, loaded in order)', collect)
    .option('--compiled <name>', 'print the compiled condition of this rule')
    .option(outOpt[0], outOpt[1], collect)
    .argument('[name]', 'rule name')
    .action(
      async (
        name: string | undefined,
        opts: { rules: string[]; compiled?: string; output?: string[] },
      ) => {
        const wanted = opts.compiled ?? name;
        if (!wanted) {
          process.stderr.write('error: a rule name is required (NAME or --compiled NAME)\n');
          process.exitCode = 2;
          return;
        }
        const l = await load(opts.rules, opts.output);
        if (!l) return;
        const { format, res } = l;
        if (!res.ok) return failLoad(res, format);
        const rule = res.rules.find((r) => r.name === wanted);
        if (!rule) {
          printDiagnostics([error('RULE_NOT_FOUND', `No rule named '${wanted}'`)]);
          process.exitCode = 1;
          return;
        }
        if (opts.compiled && format === 'text') process.stdout.write(rule.compiled + '\n');
        else {
          const detail = {
            ...ruleRow(rule),
            desc: rule.desc,
            condition: rule.condition,
            compiled: rule.compiled,
            output: rule.output,
          };
          process.stdout.write(
            format === 'json'
              ? JSON.stringify(detail, null, 2) + '\n'
              : Object.entries(detail)
                  .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`)
                  .join('\n') + '\n',
          );
        }
        process.exitCode = 0;
      },
    );
}
