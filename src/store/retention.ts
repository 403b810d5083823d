/**
 * Periodic retention: prunes by age and size on a timer (vigil.yaml `store.retention`).
 * @module
 */
import type { PruneResult, Retention, Store } from './types.ts';

/** Runs `store.prune(r)` now and every `intervalMs`; returns a stop function. Errors go to `onError`. */
export function scheduleRetention(
  store: Store,
  r: Omit<Retention, 'now'>,
  intervalMs = 600_000,
  hooks: { onPrune?: (p: PruneResult) => void; onError?: (e: Error) => void } = {},
): () => void {
  let running = false;
  const tick = async (): Promise<void> => {
    if (running) return; // a slow prune must not pile up behind itself
    running = true;
    try {
      hooks.onPrune?.(await store.prune(r));
    } catch (e) {
      hooks.onError?.(e as Error);
    } finally {
      running = false;
    }
  };
  void tick();
  const t = setInterval(() => void tick(), intervalMs);
  t.unref();
  return () => clearInterval(t);
}
