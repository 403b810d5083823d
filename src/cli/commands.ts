/**
 * The explicit, sorted index of command groups. Adding a group touches its file and one line here.
 * Groups load on demand: `vigil run` should not pay for the scanner, the server and the
 * Kubernetes client at startup (time and resident memory), so only the group that owns the
 * typed command is imported; help and unknown commands load them all.
 * @module
 */
import type { Command } from 'commander';

/** A command group: a function that adds its commands to the program. */
export type CommandGroup = (program: Command) => void;

/** A group's top-level command names and how to load it. */
export interface LazyGroup {
  names: string[];
  load(): Promise<CommandGroup>;
}

/** One line per command group, sorted by file name; `names` are the top-level commands it adds. */
export const GROUPS: LazyGroup[] = [
  { names: ['audit'], load: async () => (await import('./audit.ts')).auditCommands },
  { names: ['bench'], load: async () => (await import('./bench-k3s.ts')).benchCommands },
  { names: ['db'], load: async () => (await import('./db.ts')).dbCommands },
  { names: ['fields'], load: async () => (await import('./fields.ts')).fieldsCommands },
  { names: ['k8saudit'], load: async () => (await import('./k8saudit.ts')).k8sauditCommands },
  { names: ['metrics'], load: async () => (await import('./metrics.ts')).metricsCommands },
  { names: ['posture'], load: async () => (await import('./posture.ts')).postureCommands },
  { names: ['pss'], load: async () => (await import('./pss.ts')).pssCommands },
  { names: ['replay'], load: async () => (await import('./replay.ts')).replayCommands },
  { names: ['rules'], load: async () => (await import('./rules.ts')).rulesCommands },
  { names: ['run', 'capture'], load: async () => (await import('./run.ts')).runCommands },
  { names: ['scan', 'sbom'], load: async () => (await import('./scan.ts')).scanCommands },
  { names: ['token'], load: async () => (await import('./token.ts')).tokenCommands },
  { names: ['up'], load: async () => (await import('./up.ts')).upCommands },
];

/**
 * Adds command groups to the program: only the one owning `commandName` when it names one,
 * otherwise every group (help, version, typos get the full list).
 */
export async function registerCommands(program: Command, commandName?: string): Promise<void> {
  const owner = GROUPS.find((g) => commandName !== undefined && g.names.includes(commandName));
  for (const g of owner ? [owner] : GROUPS) (await g.load())(program);
}
