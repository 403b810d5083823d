/**
 * The explicit, sorted index of command groups. Adding a group touches its file and one line here.
 * @module
 */
import type { Command } from 'commander';
import { auditCommands } from './audit.ts';
import { benchCommands } from './bench-k3s.ts';
import { dbCommands } from './db.ts';
import { fieldsCommands } from './fields.ts';
import { k8sauditCommands } from './k8saudit.ts';
import { postureCommands } from './posture.ts';
import { pssCommands } from './pss.ts';
import { replayCommands } from './replay.ts';
import { rulesCommands } from './rules.ts';
import { runCommands } from './run.ts';
import { scanCommands } from './scan.ts';
import { tokenCommands } from './token.ts';
import { upCommands } from './up.ts';

/** A command group: a function that adds its commands to the program. */
export type CommandGroup = (program: Command) => void;

const groups: CommandGroup[] = [
  // one line per command group, sorted by name
  auditCommands,
  benchCommands,
  dbCommands,
  fieldsCommands,
  k8sauditCommands,
  postureCommands,
  pssCommands,
  replayCommands,
  rulesCommands,
  runCommands,
  scanCommands,
  tokenCommands,
  upCommands,
];

/** Adds every command group to the program. */
export function registerCommands(program: Command): void {
  for (const g of groups) g(program);
}
