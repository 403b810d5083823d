/**
 * audit: the activity recorder (exec, connections, sensitive file changes with container/pod
 * context), queries with alert links, and export to a SIEM.
 * @module
 */
export type * from './types.ts';
export { ActivityRecorder, toActivity, shortContainerId, recorderOptionsFromConfig, type RecorderOptions } from './recorder.ts';
export { runAuditQuery, toActivityQuery, linkAlerts, activityForAlert, parseTimeBound, type AuditQuery, type LinkedActivity } from './query.ts';
export { ActivityExporter, activityJson, activitySyslog, describeActivity, ACTIVITY_SD_ID, type ExportTarget } from './export.ts';
export { activityFromFields, type FieldGetter } from './from-fields.ts';
