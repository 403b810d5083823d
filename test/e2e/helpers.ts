/**
 * Starts `vigil up` as a user runs it: a child process on a free port with a temporary data
 * folder; resolves once it says ready, with its URL, the admin token it printed and a stop.
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../../src/core/index.ts';

/** A running `vigil up`. */
export interface Up {
  base: string;
  token: string;
  data: string;
  /** Everything it wrote to stderr so far. */
  log: () => string;
  /** SIGTERM, wait for exit (SIGKILL after 20 s); resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/** Starts `vigil up --no-live` with extra arguments. */
export async function startUp(args: string[] = []): Promise<Up> {
  const data = mkdtempSync(join(tmpdir(), 'vigil-up-'));
  const child = spawn(process.execPath, [projectPath('bin/vigil.mjs'), 'up', '--listen', '127.0.0.1:0', '--data', data, '--no-live', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const { base, token } = await new Promise<{ base: string; token: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vigil up did not start:\n${stderr}`)), 120_000);
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      if (/ready: /.test(stderr)) {
        clearTimeout(timer);
        const t = /admin token \(shown once, stored hashed\): (\S+)/.exec(stderr);
        const u = /step \d+\/\d+ http: (https?:\/\/\S+)/.exec(stderr);
        if (!t || !u) reject(new Error(`no token or URL in:\n${stderr}`));
        else resolve({ token: t[1], base: u[1] });
      }
    });
    void exited.then((c) => reject(new Error(`vigil up exited ${c}:\n${stderr}`)));
  });
  return {
    base, token, data,
    log: () => stderr,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(killer);
      rmSync(data, { recursive: true, force: true });
      return code;
    },
  };
}
