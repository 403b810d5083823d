/**
 * fs.path.* fields: the paths a filesystem call works on, uniform across the many calls
 * (open, mkdir, rename, link, unlink...).
 * @module
 */
import { declare, type FieldSpec } from './define.ts';

const SPECS: FieldSpec[] = [
  ['fs.path.name', 'CHARBUF', 'Path of the file a filesystem call works on, made absolute.'],
  ['fs.path.nameraw', 'CHARBUF', 'Path as passed to the filesystem call.'],
  ['fs.path.source', 'CHARBUF', 'Source path of a two-path call (rename, link, symlink...), made absolute.'],
  ['fs.path.sourceraw', 'CHARBUF', 'Source path as passed to the call.'],
  ['fs.path.target', 'CHARBUF', 'Target path of a two-path call, made absolute.'],
  ['fs.path.targetraw', 'CHARBUF', 'Target path as passed to the call.'],
];

/** fs.path.* definitions. */
export const FSPATH_FIELDS = declare(SPECS);
