/**
 * Output channel contract. A channel delivers one alert at a time and throws a
 * `DeliveryError` to say whether trying again later can help.
 * @module
 */
import type { Alert } from '../core/index.ts';

/** A live output channel (one per configured output). */
export interface Channel {
  /** Unique name of this channel instance; the outbox keys deliveries by it. */
  readonly name: string;
  /** How many sends may be in flight at once. */
  readonly concurrency: number;
  /** Delivers one alert; `id` is the stable de-duplication id. Rejects with `DeliveryError`. */
  send(alert: Alert, id: string): Promise<void>;
  /** Reopens files/connections (SIGHUP). */
  reopen?(): Promise<void>;
  close(): Promise<void>;
}

/** A channel kind: a typed definition object registered in `channels.ts`. */
export interface ChannelDefinition<C> {
  id: string;
  version: string;
  description: string;
  create(config: C, format: AlertFormat): Channel;
}

/** How alerts are rendered (Falco's json_* and time_format_iso_8601 keys). */
export interface AlertFormat {
  json: boolean;
  includeOutput: boolean;
  includeOutputFields: boolean;
  includeTags: boolean;
  /** `message` key: the output without the time and priority prefix. */
  includeMessage: boolean;
  /** Add the de-duplication id as `uuid` (the key Falcosidekick uses). */
  includeUuid: boolean;
}

/** The default rendering: Falco's JSON defaults plus the `uuid` key. */
export const DEFAULT_FORMAT: AlertFormat = {
  json: true,
  includeOutput: true,
  includeOutputFields: true,
  includeTags: true,
  includeMessage: false,
  includeUuid: true,
};

/** A failed delivery; `permanent` means this alert will not succeed by retrying soon. */
export class DeliveryError extends Error {
  constructor(message: string, readonly permanent = false, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}
