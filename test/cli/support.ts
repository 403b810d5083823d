/**
 * Running a vigil command as a child process for end-to-end delivery tests: its stdout and
 * stderr as lines, waiting for a line, signals, and the vigil.yaml these tests share.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectPath } from '../../src/core/index.ts';

/** A running vigil command. */
export interface Vigil {
  child: ChildProcess;
  out: string[];
  err: string[];
  /** Resolves with the exit code (128 + n for a signal). */
  exited: Promise<number>;
  /** Resolves with the first stderr line matching `re` (seen or to come); rejects if vigil exits first. */
  stderrLine(re: RegExp): Promise<string>;
  /** Same for stdout. */
  stdoutLine(re: RegExp): Promise<string>;
}

/** Starts `vigil ARGS` (asynchronously: a receiver in the test process must keep answering). */
export function startVigil(args: string[], env: NodeJS.ProcessEnv = {}): Vigil {
  const child = spawn(process.execPath, [projectPath('bin', 'vigil.mjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const out: string[] = [];
  const err: string[] = [];
  const waiters: { lines: string[]; re: RegExp; resolve: (l: string) => void }[] = [];
  const feed = (lines: string[]) => (l: string) => {
    lines.push(l);
    for (const w of waiters.filter((x) => x.lines === lines && x.re.test(l))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(l);
    }
  };
  createInterface({ input: child.stdout! }).on('line', feed(out));
  createInterface({ input: child.stderr! }).on('line', feed(err));
  const exited = new Promise<number>((r) => child.on('close', (code, sig) => r(code ?? 128 + (sig === 'SIGKILL' ? 9 : 15))));
  const wait = (lines: string[], re: RegExp): Promise<string> => {
    const seen = lines.find((l) => re.test(l));
    if (seen) return Promise.resolve(seen);
    return Promise.race([
      new Promise<string>((resolve) => waiters.push({ lines, re, resolve })),
      exited.then((c) => {
        // lines still in the pipe when the process closed were fed before 'close'
        const late = lines.find((l) => re.test(l));
        if (late) return late;
        throw new Error(`vigil ${args[0]} exited (${c}) before printing ${re}; stderr:\n${err.slice(-15).join('\n')}`);
      }),
    ]);
  };
  return { child, out, err, exited, stderrLine: (re) => wait(err, re), stdoutLine: (re) => wait(out, re) };
}

/**
 * A vigil.yaml for these tests: JSON alerts, a file output, an HTTP output to `httpUrl` (if given), syslog
 * to a socket path that does not exist (the missing-/dev/log case), quick retries, and no
 * append_output (so rule outputs print as without -c); `extra` lines are added.
 */
export function writeDeliveryConfig(dir: string, httpUrl: string | undefined, name = 'vigil.yaml', extra: string[] = ['append_output: []']): { config: string; events: string } {
  const events = join(dir, `${name}.events.txt`);
  const config = join(dir, name);
  writeFileSync(config, [
    'json_output: true',
    `file_output: {enabled: true, filename: ${JSON.stringify(events)}}`,
    ...(httpUrl ? [`http_output: {enabled: true, url: ${JSON.stringify(httpUrl)}}`] : []),
    `syslog_output: {path: ${JSON.stringify(join(dir, 'no-syslog-here'))}}`,
    'outbox: {retry_base_ms: 100, retry_max_ms: 400}',
    ...extra,
    '',
  ].join('\n'));
  return { config, events };
}

/** The `output` of every JSON line of a file (empty when it does not exist). */
export function outputsOfFile(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { output: string }).output);
}

/** The `output` of every JSON line printed on stdout. */
export function outputsOfLines(lines: string[]): string[] {
  return lines.filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { output: string }).output);
}

/** POSTs `body` as JSON with a bearer token (an audit webhook delivery); resolves with the status. */
export function postWithToken(url: string, token: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Polls until `ok()`; the deadline only bounds a failing test. */
export async function until(ok: () => boolean, what: string, ms = 60_000): Promise<void> {
  for (const end = Date.now() + ms; !ok(); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}
