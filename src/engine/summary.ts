/**
 * The end-of-run summary Falco prints after `-e`: events, detections by severity and by rule.
 * @module
 */
import { PRIORITIES } from '../core/index.ts';
import type { EngineCounters } from './syscall-engine.ts';

/** Falco-style summary lines (printed on stderr by `vigil replay`). */
export function summaryLines(c: EngineCounters): string[] {
  const out = [`Events read: ${c.eventsRead}`, `Events detected: ${c.alerts}`, 'Rule counts by severity:'];
  for (const p of PRIORITIES) {
    const n = c.byPriority.get(p);
    if (n) out.push(`   ${p.toUpperCase()}: ${n}`);
  }
  out.push('Triggered rules by rule name:');
  for (const [name, n] of c.byRule) out.push(`   ${name}: ${n}`);
  if (c.threadsEvicted) out.push(`Thread table evictions: ${c.threadsEvicted}`);
  if (c.kernelDropEvents) out.push(`Syscall event drop notifications: ${c.kernelDropEvents}`);
  if (c.stateErrors) out.push(`Malformed events (state not updated): ${c.stateErrors}`);
  return out;
}

/** The same summary as a JSON-friendly object. */
export function summaryObject(c: EngineCounters): Record<string, unknown> {
  return {
    events_read: c.eventsRead,
    events_evaluated: c.eventsEvaluated,
    events_detected: c.alerts,
    by_priority: Object.fromEntries(c.byPriority),
    by_rule: Object.fromEntries(c.byRule),
    thread_table_evictions: c.threadsEvicted,
    malformed_events: c.stateErrors,
    drop_notifications: c.kernelDropEvents,
  };
}
