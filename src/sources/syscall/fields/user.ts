/**
 * user.* and group.* fields: the identity the process runs as, and its login user.
 * @module
 */
import { declare, type FieldSpec } from './define.ts';

const SPECS: FieldSpec[] = [
  ['user.uid', 'UINT32', 'User id the process runs as.'],
  ['user.name', 'CHARBUF', 'User name the process runs as.'],
  ['user.homedir', 'CHARBUF', 'Home directory of the user.'],
  ['user.shell', 'CHARBUF', 'Login shell of the user.'],
  ['user.loginuid', 'INT64', 'Audit login uid of the process (-1 when not set).'],
  ['user.loginname', 'CHARBUF', 'Name of the audit login user.'],
  ['group.gid', 'UINT32', 'Group id the process runs as.'],
  ['group.name', 'CHARBUF', 'Group name the process runs as.'],
];

/** user.* / group.* definitions. */
export const USER_FIELDS = declare(SPECS);
