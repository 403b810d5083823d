/**
 * The activity audit of `vigil up`: every syscall event that live detection or an API replay
 * evaluates is offered to one `ActivityRecorder`, configured by vigil.yaml `audit:` as
 * `vigil replay --db` and `vigil run` are. Glue only: extraction is the audit room's, through
 * the same syscall field table the rules compile against.
 * @module
 */
import { ActivityRecorder, activityFromFields, recorderOptionsFromConfig } from '../audit/index.ts';
import type { VigilConfig } from '../core/index.ts';
import { fieldTables, type SyscallEvent } from '../sources/index.ts';
import type { Store } from '../store/index.ts';

/** An `onEvent` hook for `SyscallEngine` and a flush for shutdown. */
export interface ActivityFeed {
  onEvent(ev: SyscallEvent): void;
  readonly recorder: ActivityRecorder;
  close(): Promise<void>;
}

/** A feed writing into `store` with `audit:` settings; undefined when `audit.enabled` is false. */
export function activityFeed(store: Store, audit: VigilConfig['audit'], onError: (e: Error) => void): ActivityFeed | undefined {
  if (!audit.enabled) return undefined;
  const table = fieldTables().get('syscall')!;
  const recorder = new ActivityRecorder(store, { ...recorderOptionsFromConfig(audit), onError });
  return {
    recorder,
    onEvent(ev) {
      const a = activityFromFields((name, arg) => {
        const l = table.lookup(name);
        return l?.def.extract?.(ev, arg ?? l.impliedArg);
      });
      if (a) recorder.record(a);
    },
    close: () => recorder.close(),
  };
}
