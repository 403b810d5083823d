/**
 * A minimal scap writer: section header, proclist V9, user list V2 and event blocks (V2 and
 * V2_LARGE, optionally the old 22-byte layout). Used to build test captures and to
 * re-emit events (bench inputs); the output reads back with our reader.
 * @module
 */
import { BT } from './blocks.ts';
import { EVENTS } from './event-info.ts';

function block(type: number, body: Buffer): Buffer {
  const pad = (4 - (body.length % 4)) % 4;
  const len = 12 + body.length + pad;
  const out = Buffer.alloc(len);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(len, 4);
  body.copy(out, 8);
  out.writeUInt32LE(len, len - 4);
  return out;
}

/** The section header block (version 1.2, no options). */
export function sectionHeader(): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32LE(0x1a2b3c4d, 0);
  b.writeUInt16LE(1, 4);
  b.writeUInt16LE(2, 6);
  b.writeBigInt64LE(-1n, 8);
  return block(BT.SHB, b);
}

function lstr(s: string): Buffer {
  const v = Buffer.from(s, 'utf8');
  const l = Buffer.alloc(2);
  l.writeUInt16LE(v.length);
  return Buffer.concat([l, v]);
}

function u(n: number | bigint, size: 1 | 2 | 4 | 8): Buffer {
  const b = Buffer.alloc(size);
  if (size === 8) b.writeBigInt64LE(BigInt(n));
  else if (size === 4) b.writeUInt32LE(Number(n) >>> 0);
  else if (size === 2) b.writeUInt16LE(Number(n));
  else b.writeUInt8(Number(n));
  return b;
}

/** Process facts for a proclist V9 entry. */
export interface ProcSpec {
  tid: number; pid: number; ptid: number; comm: string; exe: string; exepath?: string;
  args?: string[]; cwd?: string; uid?: number; gid?: number; cgroups?: string[]; env?: string[]; loginuid?: number;
}

/** A proclist V9 block. */
export function proclist(procs: ProcSpec[]): Buffer {
  const entries = procs.map((p) => {
    const body = Buffer.concat([
      u(p.tid, 8), u(p.pid, 8), u(p.ptid, 8), u(p.pid, 8), u(p.pid, 8),
      lstr(p.comm), lstr(p.exe), lstr(p.exepath ?? ''),
      lstr((p.args ?? []).map((a) => a + '\0').join('')), lstr(p.cwd ?? '/'),
      u(1024, 8), u(0, 4), u(p.uid ?? 0, 4), u(p.gid ?? 0, 4),
      u(0, 4), u(0, 4), u(0, 4), u(0, 8), u(0, 8),
      lstr((p.env ?? []).map((a) => a + '\0').join('')),
      u(p.tid, 8), u(p.pid, 8), lstr((p.cgroups ?? []).map((a) => a + '\0').join('')), lstr('/'),
      u(0, 8), u(0, 4), u(p.loginuid ?? 0xffffffff, 4),
    ]);
    return Buffer.concat([u(body.length + 4, 4), body]);
  });
  return block(BT.PL_V9, Buffer.concat(entries));
}

/** A user list V2 block. */
export function userlist(users: { uid: number; gid: number; name: string; home?: string; shell?: string }[], groups: { gid: number; name: string }[] = []): Buffer {
  const parts: Buffer[] = [];
  for (const x of users) {
    const body = Buffer.concat([u(0, 1), u(x.uid, 4), u(x.gid, 4), lstr(x.name), lstr(x.home ?? '/'), lstr(x.shell ?? '/bin/sh')]);
    parts.push(u(body.length + 4, 4), body);
  }
  for (const g of groups) {
    const body = Buffer.concat([u(1, 1), u(g.gid, 4), lstr(g.name)]);
    parts.push(u(body.length + 4, 4), body);
  }
  return block(BT.UL_V2, Buffer.concat(parts));
}

/** A parameter value given to `eventBlock`: raw bytes, a string (NUL-terminated), or an integer of the param's size. */
export type ParamInput = Buffer | string | number | bigint;

const INT_SIZE: Record<number, 1 | 2 | 4 | 8> = {
  1: 1, 2: 2, 3: 4, 4: 8, 5: 1, 6: 2, 7: 4, 8: 8, 11: 8, 14: 8, 15: 8, 18: 2, 19: 1, 20: 8, 21: 8, 22: 2, 23: 1,
  24: 1, 25: 4, 26: 4, 28: 1, 29: 2, 30: 4, 31: 4, 32: 4, 34: 4, 42: 4, 44: 1, 45: 2, 46: 4, 47: 4, 48: 4,
};

/** Encodes one parameter for event type `type`, position i. */
export function encodeParam(type: number, i: number, v: ParamInput): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') return Buffer.concat([Buffer.from(v, 'utf8'), Buffer.alloc(1)]);
  const pt = EVENTS[type].params[i]?.type ?? 8;
  return u(v, INT_SIZE[pt] ?? 8);
}

/** An event block: V2 (26-byte header) by default, `old` for the 22-byte layout, `large` for 32-bit lengths. */
export function eventBlock(type: number, ts: bigint, tid: number, params: ParamInput[], opts: { old?: boolean; large?: boolean; cpu?: number } = {}): Buffer {
  const vals = params.map((p, i) => encodeParam(type, i, p));
  const large = opts.large ?? EVENTS[type].large;
  const lsz = large ? 4 : 2;
  const hdr = opts.old ? 22 : 26;
  const lens = Buffer.alloc(vals.length * lsz);
  vals.forEach((v, i) => (lsz === 4 ? lens.writeUInt32LE(v.length, 4 * i) : lens.writeUInt16LE(v.length, 2 * i)));
  const total = hdr + lens.length + vals.reduce((a, v) => a + v.length, 0);
  const h = Buffer.alloc(2 + hdr);
  h.writeUInt16LE(opts.cpu ?? 0, 0);
  h.writeBigUInt64LE(ts, 2);
  h.writeBigInt64LE(BigInt(tid), 10);
  h.writeUInt32LE(total, 18);
  h.writeUInt16LE(type, 22);
  if (!opts.old) h.writeUInt32LE(vals.length, 24);
  const bt = opts.old ? BT.EV : large ? BT.EV_V2_LARGE : BT.EV_V2;
  return block(bt, Buffer.concat([h, lens, ...vals]));
}

/** The id of an event type by enum name, e.g. `eventId('PPME_SYSCALL_OPEN_X')`. */
export function eventId(enumName: string): number {
  const i = EVENTS.findIndex((e) => e.enumName === enumName);
  if (i < 0) throw new Error(`unknown event ${enumName}`);
  return i;
}
