/**
 * Test helpers: a small scap scenario builder (process list, users, modern exit events) and
 * a runner that returns each event's context, for state, extractor and engine tests.
 * @module
 */
import { ScapParser, writer, type ScapEvent } from '../scap/index.ts';
import { processEvent, type SyscallEvent } from './process.ts';
import { SyscallState, type StateOptions } from './state.ts';

const { eventBlock, eventId, proclist, sectionHeader, userlist } = writer;

/** Encodes an IPv4 tuple parameter. */
export function tuple4(sip: string, sport: number, dip: string, dport: number): Buffer {
  const b = Buffer.alloc(13);
  b[0] = 2;
  Buffer.from(sip.split('.').map(Number)).copy(b, 1);
  b.writeUInt16LE(sport, 5);
  Buffer.from(dip.split('.').map(Number)).copy(b, 7);
  b.writeUInt16LE(dport, 11);
  return b;
}

/** NUL-separated strings as scap stores args/env/cgroups. */
export function nul(...parts: string[]): Buffer {
  return Buffer.from(parts.map((p) => p + '\0').join(''));
}

/** Builds a capture event by event. */
export class Scenario {
  private blocks: Buffer[] = [sectionHeader()];
  private ts = 1_700_000_000_000_000_000n;

  constructor(procs: writer.ProcSpec[], users: { uid: number; gid: number; name: string }[] = [{ uid: 0, gid: 0, name: 'root' }]) {
    this.blocks.push(proclist(procs), userlist(users, [{ gid: 0, name: 'root' }]));
  }

  /** Adds an event by enum name with its parameters in table order. */
  ev(enumName: string, tid: number, params: writer.ParamInput[]): this {
    this.ts += 1000n;
    this.blocks.push(eventBlock(eventId(enumName), this.ts, tid, params));
    return this;
  }

  /** A modern execve exit (EXECVE_19_X) in `tid`. */
  execve(tid: number, pid: number, ptid: number, exe: string, args: string[], opts: { cwd?: string; cgroups?: string[]; tty?: number; uid?: number; path?: string; exeFlags?: number } = {}): this {
    const comm = exe.split('/').pop()!;
    return this.ev('PPME_SYSCALL_EXECVE_19_X', tid, [
      0, comm, nul(...args), tid, pid, ptid, opts.cwd ?? '/', 1024n, 0n, 0n, 0, 0, 0, comm,
      nul(...(opts.cgroups ?? ['cpuset=/'])), nul('PATH=/bin'), opts.tty ?? 0, pid, 1000, opts.exeFlags ?? 0,
      0n, 0x3fffffn, 0x3fffffn, 0n, 0n, 0n, opts.uid ?? 0, opts.path ?? exe,
    ]);
  }

  /** A child-side clone exit (CLONE_20_X) creating `tid`. */
  clone(tid: number, pid: number, ptid: number, comm: string, flags = 0): this {
    return this.ev('PPME_SYSCALL_CLONE_20_X', tid, [0, comm, nul(), tid, pid, ptid, '/', 1024, 0n, 0n, 0, 0, 0, comm, nul('cpuset=/'), flags, 0, 0, tid, pid, 0n]);
  }

  /** The capture bytes. */
  bytes(): Buffer {
    return Buffer.concat(this.blocks);
  }
}

/** Runs a capture through a fresh state, returning every event's context. */
export function runScenario(buf: Buffer, opts: StateOptions = {}, observe?: (ev: SyscallEvent) => void): { st: SyscallState; events: SyscallEvent[] } {
  const st = new SyscallState(opts);
  const events: SyscallEvent[] = [];
  const p = new ScapParser({
    onProcess: (x) => st.onProcess(x),
    onFds: (t, f) => st.onFds(t, f),
    onUser: (u) => st.onUser(u),
    onEvent: (e: ScapEvent) => {
      const ev = processEvent(st, e);
      observe?.(ev); // values as the rules see them, before later events change the state
      events.push(ev);
    },
  });
  p.push(buf);
  p.end();
  return { st, events };
}

