/**
 * scan: image and directory inventory, vulnerability matching, reports. The only door.
 * @module
 */
export * from './versions/index.ts';
export * from './image/index.ts';
export * from './catalog/index.ts';
export * from './vulndb/index.ts';
export * from './match/index.ts';
export * from './policy/index.ts';
export * from './report/index.ts';
export { scanTarget, type ScanResult } from './scan.ts';
