/**
 * `vigil fields`: the fields rules can use, with type and description, like `falco --list`.
 * @module
 */
import type { Command } from 'commander';
import { fieldTables } from '../sources/index.ts';
import { collect, parseOutputOptions } from './render.ts';

/** One listed field. */
interface Listed {
  source: string;
  name: string;
  type: string;
  arg: string;
  list: boolean;
  desc: string;
}

function listFields(source?: string): Listed[] {
  const tables = [...fieldTables().values()];
  const out: Listed[] = [];
  for (const t of tables) {
    if (source && t.source !== source) continue;
    for (const f of t.fields) {
      out.push({ source: t.source, name: f.arg === 'required-key' || f.arg === 'required-index' ? `${f.name}[...]` : f.name, type: f.type, arg: f.arg, list: f.isList === true, desc: f.desc });
    }
  }
  return out;
}

/** Registers `vigil fields`. */
export function fieldsCommands(program: Command): void {
  program
    .command('fields')
    .description('list the fields rules can use (like falco --list)')
    .option('-o, --output <format>', 'json or text', collect)
    .option('--source <source>', 'only this event source (e.g. syscall)')
    .action((opts: { output?: string[]; source?: string }) => {
      const { format } = parseOutputOptions(opts.output);
      const rows = listFields(opts.source);
      if (format === 'json') {
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      let cls = '';
      const lines: string[] = [];
      for (const r of rows) {
        const c = `${r.source}: ${r.name.split('.')[0]}`;
        if (c !== cls) {
          cls = c;
          lines.push('', `Field Class: ${r.name.split('.')[0]} (source ${r.source})`, '');
        }
        lines.push(`${r.name.padEnd(32)} ${r.type.padEnd(10)} ${r.desc}`);
      }
      process.stdout.write(lines.join('\n').trimStart() + '\n');
    });
}
