/**
 * scap: the capture/stream format shared with sysdig and Falco — event table, block parser,
 * file/gzip/pipe inputs, and a small writer for tests and bench inputs.
 * @module
 */
export { EVENTS, EVENT_IDS_BY_NAME, EVENT_TYPE_NAMES, EF, PT, PPM_EVENT_MAX, type EventInfo, type ParamInfo } from './event-info.ts';
export { ScapEvent } from './event.ts';
export { ScapParser, type ScapHandlers, type ScapParserOptions, type SectionHeader } from './parser.ts';
export { readScap, scapEvents, type ReadSummary, type ScapInput } from './source.ts';
export { FDT, type FdEntry, type MachineInfo, type ProcEntry, type UserEntry } from './blocks.ts';
export { AF, decodeParam, type ParamValue, type SockAddr, type SockTuple } from './params.ts';
export * as writer from './writer.ts';
export { syscallName, SYSCALL_NAMES } from './syscall-names.ts';
