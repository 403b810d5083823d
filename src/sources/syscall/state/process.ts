/**
 * Runs one event through the state: flushes the previous procexit, keeps enter events for
 * their exits, applies the update handlers and resolves the event's thread and fd.
 * @module
 */
import { EF, EVENTS, PT, ScapEvent } from '../scap/index.ts';
import type { SyscallState } from './state.ts';
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
    containerId: 'host', fds: new Map(), incomplete: true,
  };
  st.putThread(t);
  return t;
}

/** Applies `e` to the state and returns its context. */
export function processEvent(st: SyscallState, e: ScapEvent): SyscallEvent {
  if (st.pendingRemoval !== undefined) {
    const gone = st.threads.get(st.pendingRemoval);
    if (gone?.exited) {
      st.threads.delete(st.pendingRemoval);
      st.counters.threadsRemoved++;
    }
    st.pendingRemoval = undefined;
  }
  st.firstTs ??= e.ts;
  st.prevTs = st.lastTs ?? e.ts;
  st.lastTs = e.ts;
  let t = st.threads.get(e.tid);
  const name = e.info.name;
  if (name === 'syscall') resolveGeneric(st, e);
  const usesFd = (e.info.flags & FD_FLAGS) !== 0;
  if (e.info.dir === '>') {
    // events that skip libsinsp's parser reset (scheduler switches, ...) never create threads
    if (!t && e.tid > 0 && !ENTER_HANDLERS[name] && !SKIP_RESET.has(name)) t = placeholder(st, e.tid);
    const h = ENTER_HANDLERS[name];
    if (h) h(st, e, t);
    if (name === 'container') {
      const id = st.lastContainerId;
      st.lastContainerId = undefined;
      return { e, st, thread: t, containerId: id };
    }
    // like libsinsp, an enter event's fd is its first parameter when that is an fd; -1 for fd-creating calls
    const fdNum = usesFd && t ? (e.nparams > 0 && e.info.params[0].type === PT.FD ? numOf(e.param(0)) : e.info.flags & EF.CREATES_FD ? -1 : undefined) : undefined;
    if (t && !h) t.lastEnter = { type: e.info.id, ev: e.nparams > 0 ? detach(e) : undefined, fd: fdNum, ts: e.ts };
    if (t && fdNum !== undefined && fdNum >= 0) t.lastEventFd = fdNum;
    return { e, st, thread: t, fdNum, fd: fdNum !== undefined ? t?.fds.get(fdNum) : undefined };
  }
  if (!t && e.tid > 0 && !SKIP_RESET.has(name)) t = placeholder(st, e.tid);
  let enterFd: number | undefined;
  let matched = false;
  let enterEmpty = false;
  if (t?.lastEnter) {
    if (t.lastEnter.type === e.info.id - 1) {
      matched = true;
      enterFd = t.lastEnter.fd;
      enterEmpty = t.lastEnter.ev === undefined;
      e.enterTs = t.lastEnter.ts;
      const enter = t.lastEnter.ev;
      if (enter) {
        for (let i = 0; i < enter.nparams; i++) {
          const pname = enter.info.params[i]?.name;
          if (pname && !e.has(pname)) (e.extra ??= new Map()).set(pname, enter.param(i)!);
        }
      }
    }
    t.lastEnter = undefined;
  }
  // the fd of an exit: the one its enter event named, else its own `fd` parameter
  const own = e.info.index.get('fd');
  const ownFd = own !== undefined && own < e.nparams ? numOf(e.param(own)) : undefined;
  // own fd parameter first; else the matched enter's (-1 when it named none); else the thread's last one
  const before = usesFd && t ? (ownFd ?? (matched ? (enterFd ?? (enterEmpty ? -1 : undefined)) : t.lastEventFd)) : undefined;
  const fdBefore = before !== undefined ? t?.fds.get(before) : undefined;
  const nameBefore = fdBefore?.name;
  const h = EXIT_HANDLERS[name];
  if (h) {
    h(st, e, t);
    t = st.threads.get(e.tid);
  }
  let fdNum: number | undefined;
  if (!usesFd || !t) fdNum = undefined;
  else if (e.info.flags & EF.CREATES_FD) fdNum = eventFdNumber(e);
  else fdNum = before;
  const fd = fdNum !== undefined ? (t?.fds.get(fdNum) ?? (fdNum === before ? fdBefore : undefined)) : undefined;
  // fd.name_changed: this event gave the fd its (new) name — a connect, or a datagram send/receive on an unconnected socket
  const nameChanged = fd !== undefined && (fd !== fdBefore || fd.name !== nameBefore) && fd.name !== '';
  return { e, st, thread: t, fdNum, fd, nameChanged };
}

function numOf(v: unknown): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
}
