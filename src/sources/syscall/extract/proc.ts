/**
 * proc.*, thread.*, user.*, group.* extractors: process identity, command lines, ancestors
 * (proc.aname[N] and friends), sessions, capabilities and credentials.
 * @module
 */
import type { SyscallEvent, ThreadInfo } from '../state/index.ts';
import { CAPABILITIES } from './flags.ts';
import type { FieldType } from '../../../rules/index.ts';
import type { Extractor, ExtractorMap, ExtractorSpec } from './types.ts';

/** The process (main thread) of the event's thread. */
function proc(ev: SyscallEvent): ThreadInfo | undefined {
  const t = ev.thread;
  return t ? ev.st.mainThread(t) : undefined;
}

/** The parent process of a process, if known. */
function parentOf(ev: SyscallEvent, p: ThreadInfo): ThreadInfo | undefined {
  const pt = ev.st.parent(p);
  return pt ? ev.st.mainThread(pt) : undefined;
}

/** Ancestor `n` (0 = the process itself), or undefined. */
function ancestor(ev: SyscallEvent, n: number): ThreadInfo | undefined {
  let p = proc(ev);
  for (let i = 0; i < n && p; i++) p = parentOf(ev, p);
  return p;
}

/** The command line as Falco joins it: comm, then the arguments. */
export function cmdline(t: ThreadInfo): string {
  return t.args.length ? `${t.comm} ${t.args.join(' ')}` : t.comm;
}

function capString(v: bigint | undefined): string | undefined {
  if (v === undefined) return undefined;
  const out: string[] = [];
  for (let i = 0; i < CAPABILITIES.length; i++) if ((v >> BigInt(i)) & 1n) out.push(CAPABILITIES[i]);
  return out.join(' ');
}

/** The ancestors above the event's process, parent first (a bounded walk: state may hold a cycle). */
function parents(ev: SyscallEvent): ThreadInfo[] {
  const out: ThreadInfo[] = [];
  const me = proc(ev);
  for (let p = me && parentOf(ev, me); p && out.length < 256 && p !== me && !out.includes(p); p = parentOf(ev, p)) out.push(p);
  return out;
}

/**
 * An ancestor field as libsinsp has them: `[N]` picks one ancestor (0 = the process itself);
 * without a level the value is the process's own, and conditions test each ancestor above it
 * in turn (`anyOf`): `proc.aname=sshd` holds when some ancestor is sshd.
 */
export function ancestorField(type: FieldType, desc: string, pick: (t: ThreadInfo) => string | number | undefined): ExtractorSpec {
  return {
    type, desc, arg: 'optional-index',
    extract: (ev, arg) => {
      const n = arg === undefined ? 0 : Number(arg);
      if (!Number.isInteger(n) || n < 0) return undefined;
      const a = ancestor(ev, n);
      return a ? pick(a) : undefined;
    },
    anyOf: (ev) => (ev.thread ? parents(ev).map(pick) : undefined),
  };
}

const of = (f: (t: ThreadInfo) => string | number | boolean | bigint | undefined): Extractor => (ev) => {
  const p = proc(ev);
  return p ? f(p) : undefined;
};
const ofParent = (f: (t: ThreadInfo) => string | number | undefined): Extractor => (ev) => {
  // the thread's own parent: a thread's parent is the thread that created it, as in libsinsp
  const pp = ev.thread ? parentOf(ev, ev.thread) : undefined;
  return pp ? f(pp) : undefined;
};
const ofThread = (f: (t: ThreadInfo) => string | number | boolean | bigint | undefined): Extractor => (ev) => (ev.thread ? f(ev.thread) : undefined);
/** Identity fields are unknown (<NA>) for threads created on the fly. */
const known = (f: (t: ThreadInfo) => string | number | undefined): Extractor => (ev) => (ev.thread && !ev.thread.incomplete ? f(ev.thread) : undefined);

const loginuid = (t: ThreadInfo) => (t.loginuid === 0xffffffff ? -1 : t.loginuid);

/** proc/thread/user/group extractors. */
export const PROC: ExtractorMap = {
  'proc.pid': { type: 'INT64', desc: 'process id', extract: of((t) => t.pid) },
  'proc.name': { type: 'CHARBUF', desc: 'process name (comm)', extract: known((t) => t.comm) },
  'proc.exe': { type: 'CHARBUF', desc: 'first command-line argument', extract: known((t) => t.exe) },
  'proc.exepath': { type: 'CHARBUF', desc: 'full executable path', extract: ofThread((t) => t.exepath) },
  'proc.args': { type: 'CHARBUF', desc: 'arguments', extract: known((t) => t.args.join(' ')) },
  'proc.cmdline': { type: 'CHARBUF', desc: 'name and arguments', extract: known(cmdline) },
  'proc.exeline': { type: 'CHARBUF', desc: 'exe and arguments', extract: known((t) => (t.args.length ? `${t.exe} ${t.args.join(' ')}` : t.exe)) },
  'proc.cmdnargs': { type: 'UINT64', desc: 'number of arguments', extract: ofThread((t) => t.args.length) },
  'proc.cmdlenargs': { type: 'UINT64', desc: 'length of the arguments', extract: ofThread((t) => t.args.reduce((a, s) => a + s.length, 0)) },
  'proc.cwd': { type: 'CHARBUF', desc: 'working directory', extract: ofThread((t) => (t.cwd.endsWith('/') ? t.cwd : t.cwd + '/')) },
  'proc.env': {
    type: 'CHARBUF', arg: 'optional-key', desc: 'environment (or one variable)',
    extract: (ev, arg) => {
      const p = proc(ev);
      if (!p) return undefined;
      if (arg === undefined) return p.env.join(' ');
      const hit = p.env.find((x) => x.startsWith(arg + '='));
      return hit ? hit.slice(arg.length + 1) : undefined;
    },
  },
  'proc.ppid': { type: 'INT64', desc: 'parent process id', extract: of((t) => t.ptid) },
  'proc.pname': { type: 'CHARBUF', desc: 'parent name', extract: ofParent((t) => t.comm) },
  'proc.pcmdline': { type: 'CHARBUF', desc: 'parent command line', extract: ofParent(cmdline) },
  'proc.pexe': { type: 'CHARBUF', desc: 'parent exe', extract: ofParent((t) => t.exe) },
  'proc.pexepath': { type: 'CHARBUF', desc: 'parent exe path', extract: ofParent((t) => t.exepath) },
  'proc.aname': ancestorField('CHARBUF', 'ancestor name', (t) => t.comm),
  'proc.apid': ancestorField('INT64', 'ancestor pid', (t) => t.pid),
  'proc.aexe': ancestorField('CHARBUF', 'ancestor exe', (t) => t.exe),
  'proc.aexepath': ancestorField('CHARBUF', 'ancestor exe path', (t) => t.exepath),
  'proc.acmdline': ancestorField('CHARBUF', 'ancestor command line', cmdline),
  'proc.sid': { type: 'INT64', desc: 'session id', extract: of((t) => t.sid) },
  'proc.sname': {
    type: 'CHARBUF', desc: 'session leader name',
    extract: (ev) => {
      const p = proc(ev);
      const l = p ? ev.st.thread(p.sid) : undefined;
      return l?.comm;
    },
  },
  'proc.vpid': { type: 'INT64', desc: 'pid in its namespace', extract: ofThread((t) => (t.incomplete || t.vpid < 0 ? undefined : t.vpid)) },
  'proc.vpgid': { type: 'INT64', desc: 'process group id in its namespace', extract: of((t) => t.vpgid) },
  'proc.vpgid.name': { type: 'CHARBUF', desc: 'process group leader name', extract: (ev) => pgLeader(ev)?.comm },
  'proc.vpgid.exe': { type: 'CHARBUF', desc: 'process group leader exe', extract: (ev) => pgLeader(ev)?.exe },
  'proc.vpgid.exepath': { type: 'CHARBUF', desc: 'process group leader exe path', extract: (ev) => pgLeader(ev)?.exepath },
  'proc.is_vpgid_leader': { type: 'BOOL', desc: 'leads its process group', extract: of((t) => t.vpgid >= 0 && t.vpid === t.vpgid) },
  'proc.is_sid_leader': { type: 'BOOL', desc: 'leads its session', extract: of((t) => t.sid === t.pid) },
  'proc.tty': { type: 'UINT32', desc: 'controlling terminal', extract: of((t) => t.tty) },
  'proc.loginshellid': {
    type: 'INT64', desc: 'pid of the oldest shell ancestor',
    extract: (ev) => {
      let p = proc(ev);
      let found: number | undefined;
      for (let i = 0; i < 64 && p; i++, p = parentOf(ev, p)) if (/sh$/.test(p.comm)) found = p.pid;
      return found;
    },
  },
  'proc.duration': {
    type: 'RELTIME', desc: 'ns since the process started',
    extract: (ev) => {
      const p = proc(ev);
      return p?.cloneTs !== undefined ? ev.e.ts - p.cloneTs : undefined;
    },
  },
  'proc.is_exe_upper_layer': { type: 'BOOL', desc: 'executable in an overlay upper layer', extract: of((t) => ((t.exeFlags ?? 0) & 2) !== 0) },
  'proc.is_exe_from_memfd': { type: 'BOOL', desc: 'executable from a memfd', extract: of((t) => ((t.exeFlags ?? 0) & 4) !== 0 || t.exepath.startsWith('memfd:')) },
  'proc.is_exe_writable': { type: 'BOOL', desc: 'executable writable by the user', extract: of((t) => ((t.exeFlags ?? 0) & 1) !== 0) },
  'thread.tid': { type: 'INT64', desc: 'thread id', extract: (ev) => (ev.e.tid >= 0 || ev.thread ? ev.e.tid : undefined) },
  'thread.vtid': { type: 'INT64', desc: 'thread id in its namespace', extract: ofThread((t) => (t.vtid < 0 ? undefined : t.vtid)) },
  'thread.ismain': { type: 'BOOL', desc: 'main thread', extract: ofThread((t) => t.tid === t.pid) },
  'thread.cap_permitted': { type: 'CHARBUF', desc: 'permitted capabilities', extract: ofThread((t) => capString(t.capPermitted)) },
  'thread.cap_effective': { type: 'CHARBUF', desc: 'effective capabilities', extract: ofThread((t) => capString(t.capEffective)) },
  'thread.cap_inheritable': { type: 'CHARBUF', desc: 'inheritable capabilities', extract: ofThread((t) => capString(t.capInheritable)) },
  'user.uid': { type: 'UINT32', desc: 'user id', extract: ofThread((t) => t.uid) },
  'user.name': { type: 'CHARBUF', desc: 'user name', extract: (ev) => (ev.thread ? ev.st.user(ev.thread.uid, ev.thread.containerId)?.name : undefined) },
  'user.homedir': { type: 'CHARBUF', desc: 'home directory', extract: (ev) => (ev.thread ? ev.st.user(ev.thread.uid, ev.thread.containerId)?.home : undefined) },
  'user.shell': { type: 'CHARBUF', desc: 'login shell', extract: (ev) => (ev.thread ? ev.st.user(ev.thread.uid, ev.thread.containerId)?.shell : undefined) },
  'user.loginuid': { type: 'INT64', desc: 'audit login uid (-1 when unset)', extract: ofThread(loginuid) },
  'user.loginname': {
    type: 'CHARBUF', desc: 'audit login user name',
    extract: (ev) => (ev.thread && ev.thread.loginuid !== 0xffffffff ? ev.st.user(ev.thread.loginuid, ev.thread.containerId)?.name : undefined),
  },
  'group.gid': { type: 'UINT32', desc: 'group id', extract: ofThread((t) => t.gid) },
  'group.name': { type: 'CHARBUF', desc: 'group name', extract: (ev) => (ev.thread ? ev.st.group(ev.thread.gid, ev.thread.containerId)?.name : undefined) },
};

function pgLeader(ev: SyscallEvent): ThreadInfo | undefined {
  let p = proc(ev);
  // walk up while the parent is in the same process group
  for (let i = 0; i < 64 && p; i++) {
    if (p.vpid === p.vpgid) return p;
    p = parentOf(ev, p);
  }
  return undefined;
}
