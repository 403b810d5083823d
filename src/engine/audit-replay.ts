/**
 * Replays an audit log (JSON lines, or one JSON document holding an Event, EventList or an
 * array of them) through a ruleset, like `falco -e` with the k8saudit plugin: bad lines are
 * reported and skipped, the rest is evaluated in order.
 * @module
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Diagnostic } from '../core/index.ts';
import type { Ruleset } from '../rules/index.ts';
import { decodeText, type AuditEvent, type DecodeOptions } from '../sources/index.ts';
import { AuditDetector, type AuditAlertSink, type DetectCounters, type DetectOptions } from './audit-detector.ts';

// A multi-line document larger than this is not retried as a whole.
const MAX_DOCUMENT = 64 * 1024 * 1024;

/** What a replay did. */
export interface ReplaySummary extends DetectCounters {
  /** One per line (or document) that could not be used. */
  errors: Diagnostic[];
}

/** Options of a replay. */
export interface ReplayOptions extends DetectOptions, Pick<DecodeOptions, 'maxEventSize'> {}

/**
 * Reads audit events from a file (or stream) line by line and evaluates each once. A file
 * whose first line does not parse alone is retried as one pretty-printed JSON document.
 */
export async function replayAuditFile(
  input: string | Readable,
  ruleset: Ruleset<AuditEvent>,
  onAlert: AuditAlertSink,
  opts: ReplayOptions = {},
): Promise<ReplaySummary> {
  const file = typeof input === 'string' ? input : 'stdin';
  const detector = new AuditDetector(ruleset, onAlert, opts);
  const errors: Diagnostic[] = [];
  const stream = typeof input === 'string' ? createReadStream(input, { encoding: 'utf8' }) : input.setEncoding('utf8');
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNo = 0;
  let num = 1;
  // lines that failed before any line succeeded: together they may be one multi-line document
  let pending: string[] | undefined = [];
  const pendingErrors: Diagnostic[] = [];
  let pendingBytes = 0;
  const run = (events: AuditEvent[]) => {
    for (const ev of events) detector.evaluate(ev);
    num += events.length;
  };
  for await (const raw of rl) {
    lineNo++;
    const line = raw.replace(/\r$/, '');
    if (pending) {
      pending.push(line);
      pendingBytes += line.length + 1;
      if (pendingBytes > MAX_DOCUMENT) {
        errors.push(...pendingErrors);
        pending = undefined;
      }
    }
    if (line.trim() === '') continue;
    const r = decodeText(line, { file, line: lineNo, firstNum: num, maxEventSize: opts.maxEventSize });
    if (r.ok) {
      if (pending) {
        errors.push(...pendingErrors);
        pending = undefined;
      }
      run(r.events);
    } else if (pending) {
      pendingErrors.push(r.error);
    } else {
      errors.push(r.error);
    }
  }
  if (pending && pendingErrors.length) {
    const whole = decodeText(pending.join('\n'), { file, firstNum: num, maxEventSize: opts.maxEventSize });
    if (whole.ok) run(whole.events);
    else errors.push(pendingErrors.length === 1 ? pendingErrors[0]! : whole.error);
  }
  return { ...detector.counters, errors };
}
