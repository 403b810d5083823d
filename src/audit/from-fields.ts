/**
 * Turns one syscall event into an activity record by reading Falco's own field names
 * (`proc.cmdline`, `fd.sip`, `fs.path.target`, ...) through a getter, so the recorder needs no
 * knowledge of the event decoder: any source with Falco's syscall fields can feed it.
 * Only successful exit events count: execve/execveat, connect/accept, opens for writing,
 * renames, unlinks, chmod/chown/truncate/mkdir/rmdir/link/symlink.
 * @module
 */
import type { ActivityEvent, Ancestor, FileDetail } from './types.ts';

/** Reads a Falco field (with an optional argument, e.g. `proc.aname` with `2`) from the current event. */
export type FieldGetter = (name: string, arg?: string) => unknown;

const FILE_OPS: Record<string, FileDetail['op']> = {
  rename: 'rename', renameat: 'rename', renameat2: 'rename', unlink: 'unlink', unlinkat: 'unlink',
  chmod: 'chmod', fchmod: 'chmod', fchmodat: 'chmod', chown: 'chown', lchown: 'chown', fchown: 'chown', fchownat: 'chown',
  truncate: 'truncate', ftruncate: 'truncate', mkdir: 'mkdir', mkdirat: 'mkdir', rmdir: 'rmdir',
  link: 'link', linkat: 'link', symlink: 'symlink', symlinkat: 'symlink',
};
const OPENS = new Set(['open', 'openat', 'openat2', 'creat', 'open_by_handle_at']);

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' && v !== '<NA>' ? v : undefined);
/** IPv4 addresses may come as a 32-bit number; render them dotted. */
const ip = (v: unknown): string | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff
    ? [24, 16, 8, 0].map((b) => (v >>> b) & 255).join('.')
    : str(v);
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

function ancestors(get: FieldGetter, max = 8): Ancestor[] {
  const out: Ancestor[] = [];
  for (let i = 1; i <= max; i++) {
    const pid = num(get('proc.apid', String(i)));
    const comm = str(get('proc.aname', String(i)));
    if (pid === undefined || comm === undefined) break;
    out.push({ pid, comm });
  }
  return out;
}

/** The activity record for the event, or undefined when it is not audited activity. */
export function activityFromFields(get: FieldGetter): ActivityEvent | undefined {
  const type = str(get('evt.type'));
  if (!type || get('evt.dir') !== '<') return undefined;
  // a non-blocking connect that is still in progress is a connection attempt (as Falco's rules count it)
  if (get('evt.failed') === true && !(type === 'connect' && get('evt.res') === 'EINPROGRESS')) return undefined;
  let base: Pick<ActivityEvent, 'kind' | 'net' | 'file'>;
  if (type === 'execve' || type === 'execveat') base = { kind: 'exec' };
  else if (type === 'connect' || type === 'accept' || type === 'accept4') {
    const proto = str(get('fd.l4proto')) ?? (get('fd.typechar') === 'u' ? 'unix' : 'unknown');
    const net: NonNullable<ActivityEvent['net']> = { direction: type === 'connect' ? 'out' : 'in', proto };
    if (get('fd.typechar') === 'u') net.path = str(get('fd.name'));
    else {
      net.srcIp = ip(get('fd.cip'));
      net.srcPort = num(get('fd.cport'));
      net.dstIp = ip(get('fd.sip'));
      net.dstPort = num(get('fd.sport'));
    }
    base = { kind: 'net', net };
  } else if (OPENS.has(type)) {
    if (get('evt.is_open_write') !== true) return undefined;
    const path = str(get('fd.name')) ?? str(get('fs.path.name'));
    if (!path) return undefined;
    base = { kind: 'file', file: { op: 'write', path } };
  } else if (FILE_OPS[type]) {
    const op = FILE_OPS[type];
    const two = op === 'rename' || op === 'link' || op === 'symlink';
    const path = str(get(two ? 'fs.path.source' : 'fs.path.name')) ?? str(get('fd.name'));
    if (!path) return undefined;
    const file: FileDetail = { op, path };
    if (two) file.target = str(get('fs.path.target'));
    base = { kind: 'file', file };
  } else return undefined;

  const ts = get('evt.rawtime');
  const ev: ActivityEvent = {
    ...base,
    ts: typeof ts === 'bigint' || typeof ts === 'number' || typeof ts === 'string' ? ts : 0,
    pid: num(get('proc.pid')) ?? 0,
    comm: str(get('proc.name')) ?? '',
  };
  const set = <K extends keyof ActivityEvent>(k: K, v: ActivityEvent[K] | undefined): void => {
    if (v !== undefined) ev[k] = v;
  };
  set('ppid', num(get('proc.ppid')));
  set('exe', str(get('proc.exepath')) ?? str(get('proc.exe')));
  set('cmdline', str(get('proc.cmdline')));
  set('user', str(get('user.name')));
  const uid = num(get('user.uid'));
  if (uid !== undefined && uid >= 0 && uid < 4294967295) ev.uid = uid; // (uint32)-1 means unknown
  set('cwd', str(get('proc.cwd')));
  const chain = ancestors(get);
  if (chain.length) ev.parentChain = chain;
  const cid = str(get('container.id'));
  if (cid && cid !== 'host') ev.containerId = cid;
  set('pod', str(get('k8s.pod.name')));
  set('namespace', str(get('k8s.ns.name')));
  return ev;
}
