/**
 * state: the system as rebuilt from events — threads and processes, fd tables, users and
 * groups, containers — with libsinsp's update semantics.
 * @module
 */
export { SyscallState, fdFromEntry, type StateCounters, type StateOptions } from './state.ts';
export { FdTable } from './fd-table.ts';
export { processEvent, type SyscallEvent } from './process.ts';
export { eventFdNumber } from './update.ts';
export { containerFromCgroups, containerFromJson, splitImage } from './containers.ts';
export { ipToString, endpoint, tupleName, unixName } from './net.ts';
export { AT_FDCWD, normalizePath, resolvePath } from './paths.ts';
export { FD_TYPE_CHARS, FD_TYPE_NAMES, type ContainerInfo, type FdInfo, type ThreadInfo, type UserInfo } from './types.ts';
export { Scenario, runScenario, tuple4, nul } from './fixture.ts';
