/**
 * Where audits run: the host (`/bin/sh`, as kube-bench does) or a recorded node fixture.
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The result of one audit command: stdout and stderr together, and the exit code. */
export interface AuditResult {
  output: string;
  code: number;
}

/** Runs audit scripts and answers file/process questions for one node. */
export interface AuditRunner {
  /** Runs a shell script (fed to /bin/sh on stdin, like kube-bench). */
  run(script: string): Promise<AuditResult>;
  /** True when a path exists on the node. */
  exists(path: string): boolean;
  /** True when a process whose command starts with `bin` runs on the node. */
  isRunning(bin: string): Promise<boolean>;
}

/** Runs a script with /bin/sh, capturing stdout+stderr; a timeout kills it (no audit may hang the run). */
export function runShell(
  script: string,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 30_000,
): Promise<AuditResult> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let size = 0;
    const take = (b: Buffer) => {
      // cap captured output; audits print a few lines, runaway output is an error of its own
      if (size < 4 * 1024 * 1024) chunks.push(b);
      size += b.length;
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ output: String(e.message), code: 127 });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ output: Buffer.concat(chunks).toString('utf8'), code: signal ? 124 : (code ?? 1) });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(script);
  });
}

/** Audits on this machine. */
export class HostRunner implements AuditRunner {
  run(script: string): Promise<AuditResult> {
    return runShell(script);
  }
  exists(path: string): boolean {
    return existsSync(path);
  }
  async isRunning(bin: string): Promise<boolean> {
    const r = await runShell(`ps -C ${JSON.stringify(bin.split(' ')[0])} -o cmd --no-headers`);
    return (
      r.code === 0 &&
      r.output.split('\n').some((l) => l.trim().startsWith(bin.split(' ')[0]!) || l.includes(bin))
    );
  }
}
