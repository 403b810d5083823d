/**
 * Program output: pipes alerts into a shell command, either one process per alert (its exit
 * status tells success) or one long-lived process fed a line per alert (`keep_alive`),
 * restarted when it dies.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { renderAlert } from './format.ts';
import { DeliveryError, type AlertFormat, type Channel, type ChannelDefinition } from './types.ts';

/** `program_output` settings. */
export interface ProgramOutputConfig {
  program: string;
  keep_alive?: boolean;
  timeout_ms?: number;
  name?: string;
}

function runOnce(program: string, input: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('/bin/sh', ['-c', program], { stdio: ['pipe', 'ignore', 'ignore'] });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', (e) => reject(new DeliveryError(e.message)));
    p.on('exit', (code, sig) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new DeliveryError(`program exited with ${sig ?? code}`));
    });
    p.stdin.on('error', () => {}); // a program that ignores its input closes the pipe early
    p.stdin.end(input);
  });
}

/** Creates a program channel. */
export function createProgramChannel(c: ProgramOutputConfig, format: AlertFormat): Channel {
  let child: ChildProcess | undefined;
  const live = (): ChildProcess => {
    if (child && child.exitCode === null && !child.killed && child.stdin?.writable) return child;
    const p = spawn('/bin/sh', ['-c', c.program], { stdio: ['pipe', 'ignore', 'ignore'] });
    p.stdin!.on('error', () => {});
    p.on('error', () => {});
    p.on('exit', () => {
      if (child === p) child = undefined;
    });
    child = p;
    return p;
  };
  return {
    name: c.name ?? 'program',
    concurrency: c.keep_alive ? 1 : 4,
    async send(alert, id) {
      const line = renderAlert(alert, id, format) + '\n';
      if (!c.keep_alive) return runOnce(c.program, line, c.timeout_ms ?? 10_000);
      const p = live();
      await new Promise<void>((resolve, reject) =>
        p.stdin!.write(line, (e) => (e ? reject(new DeliveryError(`program pipe: ${e.message}`)) : resolve())),
      );
    },
    async close() {
      const p = child;
      child = undefined;
      if (!p) return;
      const exited = new Promise((r) => p.once('exit', r));
      p.stdin?.end();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      if (p.exitCode === null) p.kill();
    },
  };
}

/** The `program` channel kind. */
export const programChannel: ChannelDefinition<ProgramOutputConfig> = {
  id: 'program',
  version: '1',
  description: 'pipes alerts into a shell command (per alert or keep-alive)',
  create: createProgramChannel,
};
