/**
 * The audit recorder's input: plain records that the syscall engine (or any source) feeds,
 * one per process execution, connection, or file change. Only `kind`, `ts`, `pid` and `comm`
 * are required; everything else is context the source knows.
 * @module
 */

/** A connection seen on a socket. */
export interface NetDetail {
  /** `out` for connect(), `in` for accept(). */
  direction: 'in' | 'out';
  /** `tcp`, `udp`, `unix`, ... */
  proto: string;
  srcIp?: string;
  srcPort?: number;
  dstIp?: string;
  dstPort?: number;
  /** Unix socket path. */
  path?: string;
}

/** A change to a file. */
export interface FileDetail {
  op: 'write' | 'create' | 'rename' | 'unlink' | 'chmod' | 'chown' | 'truncate' | 'mkdir' | 'rmdir' | 'link' | 'symlink';
  path: string;
  /** Destination of a rename/link. */
  target?: string;
}

/** One ancestor of the acting process, nearest first. */
export interface Ancestor {
  pid: number;
  comm: string;
  exe?: string;
}

/** One activity record from a source (see the module doc). */
export interface ActivityEvent {
  kind: 'exec' | 'net' | 'file';
  /** Event time in epoch nanoseconds (bigint, or a decimal string / number). */
  ts: bigint | string | number;
  pid: number;
  ppid?: number;
  comm: string;
  exe?: string;
  /** Full command line, arguments joined with spaces (Falco's proc.cmdline). */
  cmdline?: string;
  user?: string;
  uid?: number;
  cwd?: string;
  parentChain?: Ancestor[];
  /** Short (12-char) or full container id; absent or "host" on the host. */
  containerId?: string;
  pod?: string;
  namespace?: string;
  net?: NetDetail;
  file?: FileDetail;
}

/** Anything that takes activity records (the recorder implements it; tests may stub it). */
export interface ActivitySink {
  record(ev: ActivityEvent): boolean;
}
