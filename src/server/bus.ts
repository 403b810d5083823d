/**
 * The in-process alert bus: every alert stored by this server is announced here, and the
 * server-sent-events stream relays it to connected browsers.
 * @module
 */
import { EventEmitter } from 'node:events';
import type { StoredAlert } from '../store/index.ts';

/** Announces stored alerts to live subscribers. */
export class AlertBus {
  private readonly ee = new EventEmitter();

  constructor() {
    // every open browser tab is one listener
    this.ee.setMaxListeners(0);
  }

  /** Tells every subscriber about a stored alert. */
  publish(a: StoredAlert): void {
    this.ee.emit('alert', a);
  }

  /** Subscribes; returns the unsubscribe function. */
  subscribe(fn: (a: StoredAlert) => void): () => void {
    this.ee.on('alert', fn);
    return () => this.ee.off('alert', fn);
  }
}
