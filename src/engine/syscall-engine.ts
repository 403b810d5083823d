/**
 * The syscall engine: scap input → state → ruleset → alerts, with counters (events read,
 * events evaluated, per-rule and per-priority hits, state drops).
 * @module
 */
import { hostname } from 'node:os';
import { Readable } from 'node:stream';
import type { Alert, Priority } from '../core/index.ts';
import type { Ruleset, CompiledRule } from '../rules/index.ts';
import { toAlert } from '../rules/index.ts';
import {
  EVENTS, SyscallState, processEvent, readScap, stateTableHandlers, type ScapEvent, type ScapInput, type SyscallEvent, type StateOptions,
} from '../sources/index.ts';

/** Events that exist only in the enter direction (no exit follows), evaluated in every mode. */
const ENTER_ONLY = new Set(['procexit', 'container', 'signaldeliver', 'pluginevent', 'asyncevent', 'notification', 'page_fault', 'useradded', 'userdeleted', 'groupadded', 'groupdeleted']);
// Per event type id: enter events that are not evaluated by default (they have an exit), and drops.
const SKIPPED_ENTER_BY_ID = EVENTS.map((x) => x.dir === '>' && !ENTER_ONLY.has(x.name));
const DROP_BY_ID = EVENTS.map((x) => x.name === 'drop' && x.dir === '>');

/** Engine settings. */
export interface SyscallEngineOptions extends StateOptions {
  hostname?: string;
  /** Text alerts with ISO-8601 time (Falco's time_format_iso_8601). */
  iso8601?: boolean;
  /**
   * Evaluate enter events too, as Falco up to 0.41 (and its regression suite) did. Default
   * false: like Falco 0.42+, only exit events (which carry every parameter) reach the rules;
   * enter events still feed the state.
   */
  enterEvents?: boolean;
  /** Called for every evaluated event after the state update (the activity audit listens here). */
  onEvent?: (event: SyscallEvent) => void;
  /** Called for every alert, in event order. */
  onAlert?: (alert: Alert, rule: CompiledRule<SyscallEvent>, event: SyscallEvent) => void;
  /**
   * Back-pressure from what consumes alerts: asked after each chunk of a stream input; while the
   * returned promise is pending no more input is read, so a congested output makes the sensor's pipe
   * back up and its ring buffer drop (counted in the kernel) instead of growing memory here.
   */
  gate?: () => Promise<void> | undefined;
}

/** What a run counted. */
export interface EngineCounters {
  eventsRead: number;
  eventsEvaluated: number;
  alerts: number;
  byRule: Map<string, number>;
  byPriority: Map<Priority, number>;
  threadsEvicted: number;
  /** Drop notifications in the stream (the producer lost events: Falco's syscall_event_drops). */
  kernelDropEvents: number;
  /** Events whose state update failed (malformed parameters); they were still evaluated. */
  stateErrors: number;
}

/** Runs syscall events through a ruleset. */
export class SyscallEngine {
  readonly state: SyscallState;
  readonly counters: EngineCounters = {
    eventsRead: 0, eventsEvaluated: 0, alerts: 0, byRule: new Map(), byPriority: new Map(), threadsEvicted: 0, stateErrors: 0, kernelDropEvents: 0,
  };
  private readonly hostname: string;
  private readonly evalEnter: boolean;

  constructor(readonly ruleset: Ruleset<SyscallEvent>, private readonly opts: SyscallEngineOptions = {}) {
    this.state = new SyscallState(opts);
    this.hostname = opts.hostname ?? process.env.FALCO_HOSTNAME ?? hostname();
    this.evalEnter = opts.enterEvents === true;
  }

  /** Processes one event: state update, then rule evaluation. */
  handle(e: ScapEvent): void {
    this.counters.eventsRead++;
    let ev: SyscallEvent;
    try {
      ev = processEvent(this.state, e);
    } catch {
      // a malformed event must not stop the stream: count it, evaluate it without context
      this.counters.stateErrors++;
      ev = { e, st: this.state, thread: undefined, fd: undefined, fdNum: undefined, containerId: undefined, nameChanged: undefined };
    }
    if (e.num === 0) return; // state-only meta-events
    const id = e.info.id;
    if (DROP_BY_ID[id]) this.counters.kernelDropEvents++;
    if (SKIPPED_ENTER_BY_ID[id] && !this.evalEnter) return;
    this.counters.eventsEvaluated++;
    this.opts.onEvent?.(ev);
    const hits = this.ruleset.match('syscall', e.type, ev);
    if (hits.length === 0) return;
    for (const rule of hits) {
      this.counters.alerts++;
      this.counters.byRule.set(rule.name, (this.counters.byRule.get(rule.name) ?? 0) + 1);
      this.counters.byPriority.set(rule.priority, (this.counters.byPriority.get(rule.priority) ?? 0) + 1);
      if (this.opts.onAlert) {
        const alert = toAlert(rule, ev, { hostname: this.hostname, timeNs: e.ts, iso8601: this.opts.iso8601 });
        this.opts.onAlert(alert, rule, ev);
      }
    }
  }

  /** Reads a whole capture or stream through the engine. Rejects with SCAP_* errors after processing every event before the bad byte. */
  async run(input: ScapInput, file?: string): Promise<EngineCounters> {
    const st = this.state;
    const gate = this.opts.gate;
    // a stream is pulled chunk by chunk (its buffer is the bounded queue); the gate may hold the pull
    const source = gate && typeof input !== 'string' ? Readable.from(gated(input, gate), { objectMode: false, highWaterMark: 1 << 16 }) : input;
    try {
      await readScap(
        source,
        {
          ...stateTableHandlers(st),
          onEvent: (e) => this.handle(e),
        },
        { file },
      );
    } finally {
      this.counters.threadsEvicted = st.counters.threadsEvicted;
    }
    return this.counters;
  }
}

/** Yields the chunks of `src`, waiting on the gate between chunks. */
async function* gated(src: Readable, gate: () => Promise<void> | undefined): AsyncGenerator<Buffer> {
  for await (const chunk of src as AsyncIterable<Buffer>) {
    yield chunk;
    const wait = gate();
    if (wait) await wait;
  }
}
