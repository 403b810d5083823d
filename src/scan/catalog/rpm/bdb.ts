/**
 * Berkeley DB hash databases (rpm's legacy `Packages`): values are read from hash pages,
 * following overflow-page chains. Only what rpm databases use is supported.
 * @module
 */
import { VigilError } from '../../../core/index.ts';

const HASH_MAGIC = 0x061561;
const P_HASH_UNSORTED = 2;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const PAGE_HEADER = 26;

/** True when the bytes start with a Berkeley DB hash metadata page. */
export function isBdbHash(data: Buffer): boolean {
  return (
    data.length >= 512 &&
    (data.readUInt32LE(12) === HASH_MAGIC || data.readUInt32BE(12) === HASH_MAGIC)
  );
}

/** Every value stored in a Berkeley DB hash file. */
export function bdbValues(data: Buffer, file: string): Buffer[] {
  if (!isBdbHash(data))
    throw new VigilError('SCAN_RPMDB_FORMAT', 'not a Berkeley DB hash database', { file });
  if (data.readUInt32LE(12) !== HASH_MAGIC)
    throw new VigilError('SCAN_RPMDB_FORMAT', 'big-endian Berkeley DB files are not supported', {
      file,
    });
  const pageSize = data.readUInt32LE(20);
  if (pageSize < 512 || pageSize > 65536 || pageSize & (pageSize - 1))
    throw new VigilError('SCAN_RPMDB_FORMAT', `bad page size ${pageSize}`, { file, offset: 20 });
  const pages = Math.floor(data.length / pageSize);
  const out: Buffer[] = [];
  for (let p = 1; p < pages; p++) {
    const base = p * pageSize;
    const type = data[base + 25];
    if (type !== P_HASH && type !== P_HASH_UNSORTED) continue;
    const entries = data.readUInt16LE(base + 20);
    // Entries alternate key, value; values sit at odd indexes.
    for (let i = 1; i < entries; i += 2) {
      const off = data.readUInt16LE(base + PAGE_HEADER + i * 2);
      if (off >= pageSize) continue;
      const item = base + off;
      if (data[item] === H_OFFPAGE && data.readUInt32LE(item + 8) >= 8)
        out.push(
          readOverflow(
            data,
            pageSize,
            data.readUInt32LE(item + 4),
            data.readUInt32LE(item + 8),
            file,
          ),
        );
      else if (data[item] === H_KEYDATA) {
        const prev = data.readUInt16LE(base + PAGE_HEADER + (i - 1) * 2); // items grow down from the page end
        const value = data.subarray(item + 1, base + Math.min(prev, pageSize));
        // rpm keeps a 4-byte "next instance" counter under key 0; headers are never that small.
        if (value.length >= 8) out.push(value);
      }
    }
  }
  return out;
}

function readOverflow(
  data: Buffer,
  pageSize: number,
  first: number,
  total: number,
  file: string,
): Buffer {
  const parts: Buffer[] = [];
  let got = 0;
  const seen = new Set<number>();
  for (let pg = first; pg !== 0 && got < total;) {
    if (seen.has(pg) || (pg + 1) * pageSize > data.length)
      throw new VigilError('SCAN_RPMDB_FORMAT', `broken overflow chain at page ${pg}`, {
        file,
        offset: pg * pageSize,
      });
    seen.add(pg);
    const base = pg * pageSize;
    const len = Math.min(data.readUInt16LE(base + 22), pageSize - PAGE_HEADER);
    parts.push(data.subarray(base + PAGE_HEADER, base + PAGE_HEADER + len));
    got += len;
    pg = data.readUInt32LE(base + 16);
  }
  return Buffer.concat(parts).subarray(0, total);
}
