/**
 * OSV `all.zip` archives read entry by entry with yauzl (ZIP64 included: the npm and PyPI
 * archives hold more than 65,535 records), each entry's CRC-32 checked before it is used.
 * @module
 */
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { VigilError } from '../../core/index.ts';

const MAX_ENTRY = 64 * 1024 * 1024;

/** Calls `each` with every JSON entry of a ZIP file; rejects on a corrupt archive or CRC. */
export async function eachZipJson(
  file: string,
  each: (name: string, text: string) => void,
): Promise<number> {
  const zip = await new Promise<yauzl.ZipFile>((ok, fail) =>
    yauzl.open(file, { lazyEntries: true, validateEntrySizes: true }, (e, z) =>
      e ? fail(bad(file, e.message)) : ok(z),
    ),
  );
  let n = 0;
  try {
    await new Promise<void>((ok, fail) => {
      zip.on('error', (e: Error) => fail(bad(file, e.message)));
      zip.on('end', () => ok());
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/') || !entry.fileName.endsWith('.json')) {
          zip.readEntry();
          return;
        }
        if (entry.uncompressedSize > MAX_ENTRY) {
          fail(bad(file, `entry ${entry.fileName} is ${entry.uncompressedSize} bytes`));
          return;
        }
        zip.openReadStream(entry, (e, stream) => {
          if (e) return fail(bad(file, e.message));
          const parts: Buffer[] = [];
          stream.on('data', (c: Buffer) => parts.push(c));
          stream.on('error', (err: Error) => fail(bad(file, `${entry.fileName}: ${err.message}`)));
          stream.on('end', () => {
            const data = Buffer.concat(parts);
            if (crc32(data) >>> 0 !== entry.crc32 >>> 0) {
              fail(bad(file, `${entry.fileName}: CRC-32 mismatch`));
              return;
            }
            try {
              each(entry.fileName, data.toString('utf8'));
              n++;
            } catch (err) {
              fail(err);
              return;
            }
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return n;
}

function bad(file: string, message: string): VigilError {
  return new VigilError('VULNDB_ZIP_CORRUPT', `${file}: ${message}`, { file });
}
