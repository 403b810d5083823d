/**
 * rpm's NDB backend (`Packages.db`, SUSE): a slot table pointing at header blobs in 16-byte blocks.
 * @module
 */
import { VigilError } from '../../../core/index.ts';

const magic = (s: string): number =>
  s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24);
const HEADER_MAGIC = magic('RpmP');
const SLOT_MAGIC = magic('Slot');
const BLOB_MAGIC = magic('BlbS');
const PAGE = 4096;
const SLOT = 16;
const BLOCK = 16;

/** True when the bytes start with an NDB package database header. */
export function isNdb(data: Buffer): boolean {
  return data.length >= 32 && data.readInt32LE(0) === HEADER_MAGIC;
}

/** Every header blob of an NDB database. */
export function ndbBlobs(data: Buffer, file: string): Buffer[] {
  if (!isNdb(data)) throw new VigilError('SCAN_RPMDB_FORMAT', 'not an rpm NDB database', { file });
  const slotPages = data.readUInt32LE(12);
  if (slotPages * PAGE > data.length)
    throw new VigilError('SCAN_RPMDB_FORMAT', `slot table of ${slotPages} pages exceeds the file`, {
      file,
      offset: 12,
    });
  const out: Buffer[] = [];
  // The 32-byte header occupies the first two slot positions.
  for (let at = 32; at + SLOT <= slotPages * PAGE; at += SLOT) {
    if (data.readInt32LE(at) !== SLOT_MAGIC || data.readUInt32LE(at + 4) === 0) continue;
    const blob = data.readUInt32LE(at + 8) * BLOCK;
    if (blob + 16 > data.length || data.readInt32LE(blob) !== BLOB_MAGIC) continue;
    const len = data.readUInt32LE(blob + 12);
    if (blob + 16 + len > data.length)
      throw new VigilError('SCAN_RPMDB_FORMAT', 'header blob runs past the end', {
        file,
        offset: blob,
      });
    out.push(data.subarray(blob + 16, blob + 16 + len));
  }
  return out;
}
