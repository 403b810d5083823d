/**
 * Alert ids: 26 characters, Crockford base32, time-ordered like ULID (48-bit ms time, then a
 * per-process counter seeded randomly) so ids sort by creation and never repeat in a process.
 * @module
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastMs = -1;
let counter = 0n;

function encode(value: bigint, chars: number): string {
  let s = '';
  for (let i = 0; i < chars; i++) {
    s = ALPHABET[Number(value & 31n)] + s;
    value >>= 5n;
  }
  return s;
}

/** A new unique, time-ordered id (ULID layout). */
export function newId(now = Date.now()): string {
  if (now !== lastMs) {
    lastMs = now;
    // 79 random bits leave room to count up without overflowing the 80-bit field
    counter = BigInt('0x' + randomBytes(10).toString('hex')) >> 1n;
  } else {
    counter++;
  }
  return encode(BigInt(now), 10) + encode(counter, 16);
}

/** Epoch ms of an ISO-8601 alert time (nanosecond digits allowed); NaN when unparsable. */
export function alertTimeMs(time: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)$/.exec(time);
  if (!m) return Date.parse(time);
  const frac = m[2] ? m[2].slice(0, 4) : '';
  return Date.parse(m[1] + frac + m[3]);
}
