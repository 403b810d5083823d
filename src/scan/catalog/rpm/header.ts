/**
 * RPM header blobs (the values stored in every rpmdb backend): an index of tags over a data store.
 * @module
 */

/** Header tags Vigil reads. */
export const RpmTag = {
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  license: 1014,
  arch: 1022,
  sourceRpm: 1044,
} as const;

/** Values of one header, by tag. */
export type RpmHeader = Map<number, string | number>;

const STRING = 6;
const INT32 = 4;
const STRING_ARRAY = 8;
const I18NSTRING = 9;

/** Parses a header blob (`il`, `dl`, index entries, data); null when malformed. */
export function parseRpmHeader(blob: Buffer): RpmHeader | null {
  if (blob.length < 8) return null;
  const il = blob.readUInt32BE(0);
  const dl = blob.readUInt32BE(4);
  const dataStart = 8 + il * 16;
  if (il > 100_000 || dataStart + dl > blob.length) return null;
  const out: RpmHeader = new Map();
  for (let i = 0; i < il; i++) {
    const e = 8 + i * 16;
    const tag = blob.readUInt32BE(e);
    const type = blob.readUInt32BE(e + 4);
    const off = blob.readInt32BE(e + 8);
    if (off < 0 || off >= dl) continue;
    const at = dataStart + off;
    if (type === STRING || type === STRING_ARRAY || type === I18NSTRING) {
      const end = blob.indexOf(0, at);
      if (end < 0 || end > dataStart + dl) continue;
      out.set(tag, blob.toString('utf8', at, end));
    } else if (type === INT32 && at + 4 <= dataStart + dl) {
      out.set(tag, blob.readInt32BE(at));
    }
  }
  return out;
}
