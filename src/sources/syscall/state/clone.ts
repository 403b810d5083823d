/**
 * The two sides of a clone-family exit, decided as libsinsp decides them (parse_clone_exit_caller /
 * parse_clone_exit_child): the child's event (res 0) describes the child itself; the caller's event
 * (res = the child's id in the caller's pid namespace) creates the child only when that id is a host
 * id and the child is not already known from its own event, not a vfork (whose child may have exited
 * already), and not a child that exited moments ago. Which side arrives first is not fixed.
 * @module
 */
import type { ScapEvent } from '../scap/index.ts';
import type { SyscallState } from './state.ts';
import type { ThreadInfo } from './types.ts';

const CL_CLONE_NEWPID = 1 << 6;
const CL_CLONE_PARENT = 1 << 8;
const CL_CLONE_VFORK = 1 << 27;
const CL_CHILD_IN_PIDNS = 1 << 29;
/** libsinsp's CLONE_STALE_TIME_NS: a thread created longer ago than this is not the clone's child. */
const CLONE_STALE_NS = 2_000_000_000n;
/** libsinsp keeps the last 8192 exits (RECENTLY_EXITED_RING_SIZE). */
const RECENT_EXITS = 8192;

/** The last exits in order (to forget the oldest) and by `ptid:tid` (one lookup per caller-side clone). */
interface RecentExits { keys: string[]; ts: bigint[]; at: Map<string, bigint>; next: number }
const recentExits = new WeakMap<SyscallState, RecentExits>();

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined);

/** Remembers a thread's exit (procexit), so a late caller-side clone exit does not bring it back. */
export function noteThreadExit(st: SyscallState, tid: number, ptid: number, ts: bigint): void {
  let r = recentExits.get(st);
  if (!r) recentExits.set(st, (r = { keys: [], ts: [], at: new Map(), next: 0 }));
  const old = r.keys[r.next];
  // the slot forgotten is the key's entry unless the key exited again since
  if (old !== undefined && r.at.get(old) === r.ts[r.next]) r.at.delete(old);
  const key = `${ptid}:${tid}`;
  r.keys[r.next] = key;
  r.ts[r.next] = ts;
  r.at.set(key, ts);
  r.next = (r.next + 1) % RECENT_EXITS;
}

function exitedRecently(st: SyscallState, tid: number, ptid: number, ts: bigint): boolean {
  const r = recentExits.get(st);
  if (!r) return false;
  const at = r.at.get(`${ptid}:${tid}`);
  return at !== undefined && ts >= at && ts - at < CLONE_STALE_NS;
}

/** Whether a thread was created by a clone event less than the stale time before `ts`. */
function createdRecently(t: ThreadInfo, ts: bigint): boolean {
  return t.cloneTs !== undefined && ts >= t.cloneTs && ts - t.cloneTs < CLONE_STALE_NS;
}

/**
 * The caller's side (res > 0): refreshes a caller known only as a placeholder from the event, and says
 * whether the child is to be created from this event (replacing a stale thread under its tid, a lost
 * exit, as libsinsp does).
 */
export function callerCreatesChild(st: SyscallState, e: ScapEvent, caller: ThreadInfo | undefined, childTid: number): boolean {
  if (caller?.incomplete) {
    caller.pid = num(e.get('pid')) ?? caller.pid;
    caller.ptid = num(e.get('ptid')) ?? caller.ptid;
    const vtid = num(e.get('vtid')), vpid = num(e.get('vpid'));
    if (vtid !== undefined && vpid !== undefined) { caller.vtid = vtid; caller.vpid = vpid; }
  }
  const flags = num(e.get('flags')) ?? 0;
  // res is an id in the caller's pid namespace: only the child's own event knows its host id
  if (flags & (CL_CHILD_IN_PIDNS | CL_CLONE_NEWPID | CL_CLONE_PARENT)) return false;
  if (caller && caller.vtid > 0 && caller.tid !== caller.vtid) return false; // vtid -1: unknown (old captures)
  if (flags & CL_CLONE_VFORK || e.type === 'vfork') return false;
  if (exitedRecently(st, childTid, e.tid, e.ts)) return false;
  // the child's own event came first (libsinsp's PPM_CL_CLONE_INVERTED); an older thread under the
  // tid is stale and the new child replaces it
  return replaceable(st, childTid, e.ts);
}

/**
 * The child's side (res 0): whether the event creates the child. A thread its caller's event created
 * moments ago stands; a placeholder, a process-list entry or a stale thread of a reused tid is replaced.
 */
export function childCreatesItself(st: SyscallState, e: ScapEvent): boolean {
  return replaceable(st, e.tid, e.ts);
}

/** Whether a clone at `ts` may (re)create thread `tid`: none known, a placeholder, or one created before the stale time. */
function replaceable(st: SyscallState, tid: number, ts: bigint): boolean {
  const existing = st.thread(tid);
  return !existing || existing.incomplete === true || !createdRecently(existing, ts);
}
