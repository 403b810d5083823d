/**
 * A read-only view of a k3s node: files with modes and owners, the k3s journal and the
 * process list, either from this host or from a recorded node directory.
 * @module
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { NodeRecording } from '../fixture-runner.ts';
import { runShell } from '../runner.ts';

/** Mode (octal string, e.g. `600`) and `user:group` of a node file. */
export interface FileInfo {
  mode: string;
  owner: string;
}

/** What the k3s-aware checks read from a node. */
export interface NodeView {
  readFile(path: string): string | undefined;
  exists(path: string): boolean;
  /** Entries of a directory (names only), empty when missing. */
  list(dir: string): string[];
  stat(path: string): FileInfo | undefined;
  /** k3s journal lines (k3s and k3s-agent units), oldest first. */
  journal(): Promise<string[]>;
  /** Process command lines. */
  processes(): Promise<string[]>;
  /** The k3s version if the node records one outside the journal. */
  recordedVersion?: string;
  /** Asks the node's k3s binary for its version (`k3s --version`), when it can. */
  binaryVersion?(): Promise<string | undefined>;
}

function idNames(file: string): Map<number, string> {
  const m = new Map<number, string>();
  try {
    for (const l of readFileSync(file, 'utf8').split('\n')) {
      const f = l.split(':');
      if (f.length > 2) m.set(Number(f[2]), f[0]!);
    }
  } catch {
    /* no passwd/group file: numeric ids are shown */
  }
  return m;
}

/** This machine. */
export class HostNodeView implements NodeView {
  private users = idNames('/etc/passwd');
  private groups = idNames('/etc/group');
  readFile(p: string): string | undefined {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  }
  exists(p: string): boolean {
    return existsSync(p);
  }
  list(dir: string): string[] {
    try {
      return readdirSync(dir).sort();
    } catch {
      return [];
    }
  }
  stat(p: string): FileInfo | undefined {
    try {
      const s = statSync(p);
      return {
        mode: (s.mode & 0o777).toString(8),
        owner: `${this.users.get(s.uid) ?? s.uid}:${this.groups.get(s.gid) ?? s.gid}`,
      };
    } catch {
      return undefined;
    }
  }
  async journal(): Promise<string[]> {
    // only the lines the checks read: a k3s journal can hold gigabytes of other messages.
    // Persistent journal first, then the volatile one (as Rancher's scripts do); journalctl
    // versions without --grep fall back to grep.
    const pat = 'Running (kube-|kubelet|etcd)|Starting k3s|Managed etcd';
    const units = '-u k3s -u k3s-agent --no-pager';
    const r = await runShell(
      `journalctl -m ${units} -g '${pat}' 2>/dev/null || journalctl -m ${units} 2>/dev/null | grep -E '${pat}' | tail -n 5000 || ` +
        `journalctl -D /run/log/journal ${units} 2>/dev/null | grep -E '${pat}' | tail -n 5000`,
    );
    return r.output.split('\n').filter((l) => l.includes('k3s'));
  }
  async binaryVersion(): Promise<string | undefined> {
    const r = await runShell('k3s --version 2>/dev/null');
    return /(v\d+\.\d+\.\d+\+k3s\d+)/.exec(r.output)?.[1];
  }
  async processes(): Promise<string[]> {
    const r = await runShell('ps -eo args --no-headers');
    return r.output.split('\n').filter(Boolean);
  }
}

/** A recorded node directory (`root/` + `node.yaml`), as used by the fixture runner. */
export class RecordedNodeView implements NodeView {
  private readonly root: string;
  private readonly rec: NodeRecording;
  readonly recordedVersion?: string;
  constructor(dir: string) {
    this.root = join(dir, 'root');
    this.rec = (parse(readFileSync(join(dir, 'node.yaml'), 'utf8')) ?? {}) as NodeRecording;
    this.recordedVersion = this.rec.k3sVersion;
  }
  readFile(p: string): string | undefined {
    try {
      return readFileSync(join(this.root, p), 'utf8');
    } catch {
      return undefined;
    }
  }
  exists(p: string): boolean {
    return existsSync(join(this.root, p));
  }
  list(dir: string): string[] {
    try {
      return readdirSync(join(this.root, dir)).sort();
    } catch {
      return [];
    }
  }
  stat(p: string): FileInfo | undefined {
    if (!this.exists(p)) return undefined;
    const r = this.rec.files?.[p];
    if (r) {
      const [mode, owner] = r.split(' ');
      return { mode: mode!, owner: owner ?? 'root:root' };
    }
    return { mode: (statSync(join(this.root, p)).mode & 0o777).toString(8), owner: 'root:root' };
  }
  async journal(): Promise<string[]> {
    return this.rec.journal ?? [];
  }
  async processes(): Promise<string[]> {
    return (this.rec.processes ?? []).map((l) => l.trim().split(/\s+/).slice(7).join(' '));
  }
}
