/**
 * core's types-only door: the types of the core door from files that import nothing at run
 * time, so code type-checked without Node (the web UI's `tsc -p web`, and the store and
 * server type files it reads) can name them without loading the door's Node-only modules.
 * Anything else imports `index.ts`.
 * @module
 */
export type { Alert, Priority } from './alert.ts';
export type { Diagnostic, Position, Severity } from './diagnostics.ts';
