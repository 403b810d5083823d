/**
 * Runs audit events through a ruleset: each event is evaluated once against the k8s_audit
 * rules and every match becomes a Falco-shaped alert timed at the event's stageTimestamp.
 * @module
 */
import { hostname } from 'node:os';
import type { Alert } from '../core/index.ts';
import { toAlert, type CompiledRule, type Ruleset } from '../rules/index.ts';
import { asString, type AuditEvent } from '../sources/index.ts';

/** Called for every alert. */
export type AuditAlertSink = (alert: Alert, rule: CompiledRule<AuditEvent>, event: AuditEvent) => void;

/** Detection settings. */
export interface DetectOptions {
  hostname?: string;
  /** Falco's time_format_iso_8601 for the text line. */
  iso8601?: boolean;
}

/** Counters of a detector. */
export interface DetectCounters {
  events: number;
  alerts: number;
  byRule: Map<string, number>;
}

/** Evaluates audit events against the k8s_audit rules of a ruleset. */
export class AuditDetector {
  readonly counters: DetectCounters = { events: 0, alerts: 0, byRule: new Map() };
  private readonly host: string;

  constructor(
    private readonly ruleset: Ruleset<AuditEvent>,
    private readonly onAlert: AuditAlertSink,
    private readonly opts: DetectOptions = {},
  ) {
    this.host = opts.hostname ?? process.env.FALCO_HOSTNAME ?? hostname();
  }

  /** Evaluates one event; returns the number of alerts it raised. */
  evaluate(ev: AuditEvent): number {
    this.counters.events++;
    // the request verb is the event type rules are indexed by (loadAuditRules); events that
    // are not audit events have no verb, like ka.verb
    const verb = ev.obj.auditID === undefined ? undefined : ev.obj.verb;
    const hits = this.ruleset.match('k8s_audit', verb === undefined ? undefined : asString(verb), ev);
    for (const rule of hits) {
      this.counters.alerts++;
      this.counters.byRule.set(rule.name, (this.counters.byRule.get(rule.name) ?? 0) + 1);
      this.onAlert(toAlert(rule, ev, { hostname: this.host, timeNs: ev.timeNs, iso8601: this.opts.iso8601 }), rule, ev);
    }
    return hits.length;
  }
}
