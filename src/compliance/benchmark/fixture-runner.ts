/**
 * Runs kube-bench audits against a recorded node instead of this machine: a directory with
 * `root/` (the node's files), `node.yaml` (file modes/owners, processes, journal, kubectl
 * answers). Audit scripts run in /bin/sh with absolute node paths redirected under `root/`
 * and `ps`, `stat`, `journalctl`, `kubectl` replaced by shims that answer from the recording.
 * Used by the conformance tests and by `vigil bench k3s --node-root` for offline snapshots.
 * @module
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { runShell, type AuditResult, type AuditRunner } from './runner.ts';

/** The recorded facts of a node (node.yaml). */
export interface NodeRecording {
  hostname?: string;
  /** e.g. `v1.29.4+k3s1` */
  k3sVersion?: string;
  /** path -> `MODE OWNER:GROUP`, e.g. `600 root:root` (git cannot keep modes, so they are recorded). */
  files?: Record<string, string>;
  /** `ps -ef` lines (without header). */
  processes?: string[];
  /** journal lines, oldest first. */
  journal?: string[];
  /** `kubectl ARGS` -> output; missing entries fail like an unreachable API server. */
  kubectl?: Record<string, string>;
}

const psShim = `#!/bin/sh
# ps -ef | ps -fC NAME | ps -C NAME -o cmd --no-headers, answered from the recording
name=""; cmdonly=0; header=1
while [ $# -gt 0 ]; do case "$1" in
  -C) name="$2"; shift;; -fC) name="$2"; shift;; -o) [ "$2" = cmd ] && cmdonly=1; shift;; --no-headers) header=0;; esac; shift; done
[ $header = 1 ] && [ $cmdonly = 0 ] && echo "UID          PID    PPID  C STIME TTY          TIME CMD"
found=1
while IFS= read -r line; do
  cmd=$(echo "$line" | awk '{ for (i = 8; i <= NF; i++) printf "%s%s", $i, (i < NF ? " " : "") }')
  if [ -n "$name" ]; then b=$(basename "$(echo "$cmd" | awk '{print $1}')"); [ "$b" = "$name" ] || continue; fi
  found=0
  if [ $cmdonly = 1 ]; then echo "$cmd"; else echo "$line"; fi
done < "$VIGIL_NODE/ps.txt"
[ -n "$name" ] && exit $found
exit 0
`;

const statShim = `#!/bin/sh
# stat -c FORMAT FILE... with modes and owners from the recording (%a %U %G %n)
fmt="%n"; rc=0
while [ $# -gt 0 ]; do case "$1" in -c) fmt="$2"; shift 2;; -c*) fmt="\${1#-c}"; shift;; -L) shift;; *) break;; esac; done
for f in "$@"; do
  rel="\${f#$VIGIL_ROOT}"
  case "$rel" in /*) ;; *) rel="/$rel";; esac
  if [ ! -e "$VIGIL_ROOT$rel" ]; then echo "stat: cannot statx '$f': No such file or directory" >&2; rc=1; continue; fi
  rec=$(awk -v p="$rel" -F '\\t' '$1 == p { print $2; exit }' "$VIGIL_NODE/files.tsv")
  if [ -n "$rec" ]; then mode=\${rec%% *}; own=\${rec#* }; else mode=$("$VIGIL_REAL_STAT" -c %a "$VIGIL_ROOT$rel"); own="root:root"; fi
  out=$(printf '%s' "$fmt" | sed -e "s|%a|$mode|g" -e "s|%U|\${own%%:*}|g" -e "s|%G|\${own#*:}|g" -e "s|%n|$f|g")
  echo "$out"
done
exit $rc
`;

const journalShim = `#!/bin/sh
cat "$VIGIL_NODE/journal.txt"
`;

const kubectlShim = `#!/bin/sh
key=$(printf '%s ' "$@" | sed 's/ $//')
ans=$(awk -v k="$key" -F '\\t' '$1 == k { print $2; found=1; exit } END { exit !found }' "$VIGIL_NODE/kubectl.tsv") || { echo "The connection to the server localhost:8080 was refused - did you specify the right host or port?" >&2; exit 1; }
printf '%b\\n' "$ans"
`;

/** Rewrites node paths in an audit script to the recording's root, and pinned tool paths to the shims. */
export function redirectPaths(script: string, root: string): string {
  return script
    .replace(/(^|[\s'"(|;&`])\/(?:usr\/)?s?bin\/(ps|stat|journalctl|kubectl)\b/g, '$1$2')
    .replace(
      /(^|[\s'"(=,:`])(\/(?:etc|var|run|opt|usr\/lib\/systemd|lib\/systemd)\/)/g,
      `$1${root}$2`,
    );
}

/** An audit runner over a recorded node. Call `close()` to remove its shim directory. */
export class FixtureRunner implements AuditRunner {
  readonly root: string;
  readonly recording: NodeRecording;
  private readonly work: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(dir: string) {
    const abs = resolve(dir);
    this.root = join(abs, 'root');
    this.recording = (parse(readFileSync(join(abs, 'node.yaml'), 'utf8')) ?? {}) as NodeRecording;
    this.work = mkdtempSync(join(tmpdir(), 'vigil-node-'));
    const write = (name: string, body: string, mode = 0o644) => {
      writeFileSync(name, body);
      chmodSync(name, mode);
    };
    // recorded output mentions node paths too (flags, data dirs): point them into root/ as well;
    // run() strips the root prefix from every output, so tests see the node's own paths
    write(
      join(this.work, 'ps.txt'),
      redirectPaths((this.recording.processes ?? []).join('\n'), this.root) + '\n',
    );
    write(
      join(this.work, 'journal.txt'),
      redirectPaths((this.recording.journal ?? []).join('\n'), this.root) + '\n',
    );
    write(
      join(this.work, 'files.tsv'),
      Object.entries(this.recording.files ?? {})
        .map(([p, v]) => `${p}\t${v}`)
        .join('\n') + '\n',
    );
    write(
      join(this.work, 'kubectl.tsv'),
      Object.entries(this.recording.kubectl ?? {})
        .map(([k, v]) => `${k}\t${v.replace(/\n/g, '\\n')}`)
        .join('\n') + '\n',
    );
    const shims = join(this.work, 'shims');
    mkdirSync(shims, { recursive: true });
    write(join(shims, 'ps'), psShim, 0o755);
    write(join(shims, 'stat'), statShim, 0o755);
    write(join(shims, 'journalctl'), journalShim, 0o755);
    write(join(shims, 'kubectl'), kubectlShim, 0o755);
    const path = process.env.PATH ?? '/usr/bin:/bin';
    // the stat shim falls back to the real stat for files the recording does not list
    const realStat =
      path
        .split(':')
        .map((d) => join(d, 'stat'))
        .find((p) => existsSync(p)) ?? '/usr/bin/stat';
    this.env = {
      ...process.env,
      PATH: `${shims}:${path}`,
      VIGIL_ROOT: this.root,
      VIGIL_NODE: this.work,
      VIGIL_REAL_STAT: realStat,
    };
  }

  async run(script: string): Promise<AuditResult> {
    const r = await runShell(redirectPaths(script, this.root), this.env);
    return { code: r.code, output: r.output.split(this.root).join('') };
  }

  exists(path: string): boolean {
    return existsSync(join(this.root, path));
  }

  async isRunning(bin: string): Promise<boolean> {
    const first = bin.split(' ')[0]!;
    return (this.recording.processes ?? []).some((l) => {
      const cmd = l.trim().split(/\s+/).slice(7);
      return cmd.length > 0 && cmd[0]!.split('/').pop() === first;
    });
  }

  /** Removes the temporary shim directory. */
  close(): void {
    rmSync(this.work, { recursive: true, force: true });
  }
}
