/**
 * scan: image and directory inventory, vulnerability matching, reports. The only door.
 * @module
 */
export * from './versions/index.ts';
export * from './image/index.ts';
export * from './catalog/index.ts';
export * from './vulndb/index.ts';
export * from './match/index.ts';
