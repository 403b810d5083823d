/**
 * Recording a detection run into the store: alerts (for the API, UI and `vigil audit query
 * --alerts`) and the activity audit of every evaluated event, whether or not a rule fired.
 * @module
 */
import type { Alert } from '../core/index.ts';
import type { Store, StoredAlert } from '../store/index.ts';
import type { RecorderOptions } from '../audit/index.ts';
import { fieldTables, type SyscallEvent } from '../sources/index.ts';

/** Hooks to give `SyscallEngine` (onEvent, onAlert) plus a `close` that flushes everything. */
export interface RunRecorder {
  onEvent(ev: SyscallEvent): void;
  onAlert(a: Alert): void;
  close(): Promise<{ alerts: number; activities: number }>;
}

/**
 * Opens the store at `url` and returns recording hooks for one detection run.
 * @param url a SQLite path or a postgres:// URL (the CLI's `--db`)
 * @param activity what of the evaluated events becomes activity (vigil.yaml `audit:` through
 *   `recorderOptionsFromConfig`: kinds, sensitive paths, excluded commands); alerts are always
 *   stored. Left out, the recorder's defaults apply (k8saudit passes none: it feeds alerts only).
 */
export async function openRunRecorder(url: string, activity: RecorderOptions = {}): Promise<RunRecorder> {
  // loaded on demand: runs without --db never pay for the database drivers
  const { alertTimeMs, newId, openStore } = await import('../store/index.ts');
  const { ActivityRecorder, activityFromFields } = await import('../audit/index.ts');
  const store: Store = await openStore(url);
  // the same table the rules compile against, so activity and alerts read identical fields
  const table = fieldTables().get('syscall')!;
  const rec = new ActivityRecorder(store, activity);
  let pending: StoredAlert[] = [];
  let alerts = 0;
  let activities = 0;
  let writing: Promise<void> = Promise.resolve();
  const flushAlerts = () => {
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    writing = writing.then(() => store.addAlerts(batch, []));
  };
  return {
    onEvent(ev) {
      const a = activityFromFields((name, arg) => {
        const l = table.lookup(name);
        return l?.def.extract?.(ev, arg ?? l.impliedArg);
      });
      if (a && rec.record(a)) activities++;
    },
    onAlert(a) {
      pending.push({ id: newId(), ts: alertTimeMs(a.time), alert: a });
      alerts++;
      if (pending.length >= 256) flushAlerts();
    },
    async close() {
      flushAlerts();
      await writing;
      await rec.flush();
      await store.close();
      return { alerts, activities };
    },
  };
}
