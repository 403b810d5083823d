/**
 * core: diagnostics, configuration helpers and small utilities. Imports no other room.
 * @module
 */
export * from './diagnostics.ts';
export * from './conformance.ts';
export * from './alert.ts';
export * from './config/index.ts';
