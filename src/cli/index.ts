/**
 * The `vigil` command line: one file per command group, registered here in sorted order.
 * Argument parsing and rendering only; the work happens in the rooms.
 * @module
 */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands.ts';

/** Runs the CLI with process-style argv; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('vigil')
    .description('Runtime security and visibility for lightweight Kubernetes')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError();
  // argv[2] is the command name when the first argument is not an option.
  const first = argv[2];
  // `vigil --version` alone needs no command group: loading them all would import every room
  if (!(argv.length === 3 && (first === '--version' || first === '-V')))
    await registerCommands(program, first && !first.startsWith('-') ? first : undefined);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; usage mistakes exit 2 (the contract: 2 = misuse)
      return e.exitCode === 0 ? 0 : 2;
    }
    throw e;
  }
}
