/**
 * Runs one event through the state: flushes the previous procexit, keeps enter events for
 * their exits, applies the update handlers and resolves the event's thread and fd.
 * @module
 */
import { EF, EVENTS, PT, ScapEvent } from '../scap/index.ts';
import type { SyscallState } from './state.ts';
import { FdTable } from './fd-table.ts';
import type { FdInfo, ThreadInfo } from './types.ts';
import { ENTER_HANDLERS, EXIT_HANDLERS, eventFdNumber } from './update.ts';

/** Events that refer to an fd (EF_USES_FD, CREATES_FD, DESTROYS_FD, READS_FROM_FD, WRITES_TO_FD). */
const FD_FLAGS = EF.USES_FD | EF.CREATES_FD | EF.DESTROYS_FD | EF.READS_FROM_FD | EF.WRITES_TO_FD;

/** An event with its resolved context: what field extractors receive. */
export interface SyscallEvent {
  e: ScapEvent;
  st: SyscallState;
  thread?: ThreadInfo;
  fd?: FdInfo;
  fdNum?: number;
  /** For container events: the container they describe. */
  containerId?: string;
  /** The event changed the fd's name (fd.name_changed). */
  nameChanged?: boolean;
}

/** A compact copy of an enter event that does not pin the input chunk. */
function detach(e: ScapEvent): ScapEvent {
  const s0 = e.starts[0];
  const data = Buffer.from(e.data.subarray(s0, e.starts[e.starts.length - 1]));
  return new ScapEvent(e.num, e.ts, e.tid, e.cpu, e.flags, e.info, e.offset, data, e.starts.map((s) => s - s0));
}

/** Event names that skip libsinsp's parser reset in any version of the table (switch, procinfo, ...). */
const SKIP_RESET = new Set(EVENTS.filter((x) => x.flags & EF.SKIPPARSERESET).map((x) => x.name));

// Per event type id, looked up once here instead of by name on every event.
const ENTER_BY_ID = EVENTS.map((x) => (x.dir === '>' ? ENTER_HANDLERS[x.name] : undefined));
const EXIT_BY_ID = EVENTS.map((x) => (x.dir === '<' ? EXIT_HANDLERS[x.name] : undefined));
const SKIP_RESET_BY_ID = EVENTS.map((x) => SKIP_RESET.has(x.name));
const FD_PARAM_BY_ID = EVENTS.map((x) => x.index.get('fd') ?? -1);

/** Generic events: learn ID → name from events that carry the native number, name the others by ID. */
function resolveGeneric(st: SyscallState, e: ScapEvent): void {
  const id = numOf(e.get('ID'));
  if (id === undefined) return;
  const named = e.type;
  if (named !== 'syscall') st.genericNames.set(id, named);
  else {
    const learned = st.genericNames.get(id);
    if (learned) e.typeOverride = learned;
  }
}

/** A thread libsinsp would create on the fly for an unknown tid: identity unknown (<NA>). */
function placeholder(st: SyscallState, tid: number): ThreadInfo {
  const t: ThreadInfo = {
    tid, pid: tid, ptid: -1, sid: -1, vpgid: -1, vtid: -1, vpid: -1, comm: '', exe: '', exepath: '', args: [], cwd: '/',
    env: [], cgroups: [], root: '/', uid: 0xffffffff, gid: 0xffffffff, loginuid: 0xffffffff, tty: 0, fdlimit: 0,
    containerId: 'host', fds: new FdTable(), incomplete: true,
  };
  return st.putThread(t);
}

/**
 * Enter events are kept by reference while their input chunk is current (the exit usually
 * follows within it) and copied out only when a new chunk starts, so a thread blocked in a
 * syscall never pins a whole chunk, and the common case copies nothing.
 */
function onChunk(st: SyscallState, data: Buffer): void {
  const old = st.chunk;
  st.chunk = data;
  const list = st.enterInChunk;
  for (let i = 0; i < list.length; i++) {
    const le = list[i]!.lastEnter;
    if (le?.ev && le.ev.data === old) le.ev = detach(le.ev);
  }
  list.length = 0;
}

/** The context of one event; every one has the same fields, so extractors see a single shape. */
function context(e: ScapEvent, st: SyscallState, thread: ThreadInfo | undefined, fd: FdInfo | undefined, fdNum: number | undefined, containerId: string | undefined, nameChanged: boolean | undefined): SyscallEvent {
  return { e, st, thread, fd, fdNum, containerId, nameChanged };
}

/** Applies `e` to the state and returns its context. */
export function processEvent(st: SyscallState, e: ScapEvent): SyscallEvent {
  if (st.pendingRemoval !== undefined) {
    const gone = st.threads.get(st.pendingRemoval);
    if (gone?.exited) {
      st.removeThread(st.pendingRemoval);
      st.counters.threadsRemoved++;
    }
    st.pendingRemoval = undefined;
  }
  if (e.data !== st.chunk) onChunk(st, e.data);
  st.firstTs ??= e.ts;
  st.prevTs = st.lastTs ?? e.ts;
  st.lastTs = e.ts;
  let t = st.thread(e.tid);
  const info = e.info;
  const id = info.id;
  if (info.name === 'syscall') resolveGeneric(st, e);
  const usesFd = (info.flags & FD_FLAGS) !== 0;
  if (info.dir === '>') {
    const h = ENTER_BY_ID[id];
    // events that skip libsinsp's parser reset (scheduler switches, ...) never create threads
    if (!t && e.tid > 0 && !h && !SKIP_RESET_BY_ID[id]) t = placeholder(st, e.tid);
    if (h) h(st, e, t);
    if (info.name === 'container') {
      const cid = st.lastContainerId;
      st.lastContainerId = undefined;
      return context(e, st, t, undefined, undefined, cid, undefined);
    }
    // like libsinsp, an enter event's fd is its first parameter when that is an fd; -1 for fd-creating calls
    const fdNum = usesFd && t ? (e.nparams > 0 && info.params[0].type === PT.FD ? numOf(e.param(0)) : info.flags & EF.CREATES_FD ? -1 : undefined) : undefined;
    if (t && !h) {
      const keep = e.nparams > 0;
      t.lastEnter = { type: id, ev: keep ? e : undefined, fd: fdNum, ts: e.ts };
      if (keep) st.enterInChunk.push(t);
    }
    if (t && fdNum !== undefined && fdNum >= 0) t.lastEventFd = fdNum;
    return context(e, st, t, fdNum !== undefined ? t?.fds.get(fdNum) : undefined, fdNum, undefined, undefined);
  }
  if (!t && e.tid > 0 && !SKIP_RESET_BY_ID[id]) t = placeholder(st, e.tid);
  let enterFd: number | undefined;
  let matched = false;
  let enterEmpty = false;
  const le = t?.lastEnter;
  if (le) {
    if (le.type === id - 1) {
      matched = true;
      enterFd = le.fd;
      enterEmpty = le.ev === undefined;
      e.enterTs = le.ts;
      // parameters the exit lacks are read from the enter event when an extractor asks
      if (le.ev) e.enter = le.ev;
    }
    t!.lastEnter = undefined;
  }
  // the fd of an exit: the one its enter event named, else its own `fd` parameter
  const own = FD_PARAM_BY_ID[id]!;
  const ownFd = own >= 0 && own < e.nparams ? numOf(e.param(own)) : undefined;
  // own fd parameter first; else the matched enter's (-1 when it named none); else the thread's last one
  const before = usesFd && t ? (ownFd ?? (matched ? (enterFd ?? (enterEmpty ? -1 : undefined)) : t.lastEventFd)) : undefined;
  const fdBefore = before !== undefined ? t?.fds.get(before) : undefined;
  const nameBefore = fdBefore?.name;
  const h = EXIT_BY_ID[id];
  if (h) {
    h(st, e, t);
    t = st.thread(e.tid);
  }
  let fdNum: number | undefined;
  if (!usesFd || !t) fdNum = undefined;
  else if (info.flags & EF.CREATES_FD) fdNum = eventFdNumber(e);
  else fdNum = before;
  const fd = fdNum !== undefined ? (t?.fds.get(fdNum) ?? (fdNum === before ? fdBefore : undefined)) : undefined;
  // fd.name_changed: this event gave the fd its (new) name — a connect, or a datagram send/receive on an unconnected socket
  const nameChanged = fd !== undefined && (fd !== fdBefore || fd.name !== nameBefore) && fd.name !== '';
  return context(e, st, t, fd, fdNum, undefined, nameChanged);
}

function numOf(v: unknown): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
}
