/**
 * Replaying a capture through the system state: the one place that wires the scap reader's
 * tables (machine, processes, fds, users) into a SyscallState and applies every event to it,
 * so tools and tests that read fields off a capture see what the engine sees.
 * @module
 */
import { readScap, type ReadSummary, type ScapEvent, type ScapHandlers, type ScapInput } from './scap/index.ts';
import { processEvent, SyscallState, type SyscallEvent } from './state/index.ts';

/** Options of `replayState`. */
export interface ReplayStateOptions {
  /** The state to update; a fresh `SyscallState` when left out. */
  state?: SyscallState;
  /** Name used in SCAP_* diagnostics (a path input names itself). */
  file?: string;
  /**
   * Called instead of rejecting when the state cannot apply an event (the event is then not
   * passed to `onEvent`); without it such an error rejects the replay.
   */
  onStateError?: (err: unknown, e: ScapEvent) => void;
}

/** What `replayState` read, and the state it left. */
export interface ReplayStateResult extends ReadSummary {
  state: SyscallState;
}

/**
 * The reader callbacks that load a capture's tables (machine, processes, fds, users) into
 * `st`; callers add their own `onEvent` (the engine passes its handler straight through).
 */
export function stateTableHandlers(st: SyscallState): Omit<ScapHandlers, 'onEvent'> {
  return {
    onMachineInfo: (m) => { st.machine = m; },
    onProcess: (p) => st.onProcess(p),
    onFds: (tid, fds) => st.onFds(tid, fds),
    onUser: (u) => st.onUser(u),
  };
}

/**
 * Reads a capture (path or stream) into a SyscallState and hands each numbered event, already
 * applied to the state, to `onEvent`. State-only meta-events (user and group changes, evt.num 0)
 * update the state without reaching `onEvent`, as in the engine. Rejects with SCAP_* errors
 * after every event before the bad byte was handled.
 */
export async function replayState(input: ScapInput, onEvent: (ev: SyscallEvent) => void, opts: ReplayStateOptions = {}): Promise<ReplayStateResult> {
  const st = opts.state ?? new SyscallState();
  const onStateError = opts.onStateError;
  const summary = await readScap(
    input,
    {
      ...stateTableHandlers(st),
      onEvent(e) {
        let ev: SyscallEvent;
        try {
          ev = processEvent(st, e);
        } catch (err) {
          if (!onStateError) throw err;
          onStateError(err, e);
          return;
        }
        if (e.num !== 0) onEvent(ev);
      },
    },
    { file: opts.file },
  );
  return { ...summary, state: st };
}
