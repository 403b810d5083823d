/**
 * `vigil db update`: downloads public feeds into a cache (resuming partial downloads with HTTP
 * Range requests, checking the length the server announced) and imports them.
 * @module
 */
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { VigilError, warning } from '../../core/index.ts';
import { convertFile, type ImportSummary } from './import.ts';
import type { VulnDb } from './store.ts';

/** The default public feeds: Alpine secdb for supported releases and the Debian tracker. */
export const DEFAULT_FEEDS = [
  ...['3.17', '3.18', '3.19', '3.20', '3.21'].flatMap((v) => [
    `https://secdb.alpinelinux.org/v${v}/main.json`,
    `https://secdb.alpinelinux.org/v${v}/community.json`,
  ]),
  'https://security-tracker.debian.org/tracker/data/json',
];

/** Options for {@link updateFromFeeds}. */
export interface UpdateOptions {
  cacheDir: string;
  feeds?: string[];
  progress?: (message: string) => void;
}

function cacheName(url: string): string {
  const u = new URL(url);
  const name = (u.host + u.pathname).replace(/[^A-Za-z0-9.-]+/g, '_');
  return /\.(json|ya?ml)$/.test(name) ? name : `${name}.json`;
}

/** Downloads one URL into the cache, resuming a partial file; returns the final path. */
export async function download(
  url: string,
  cacheDir: string,
  progress?: (m: string) => void,
): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const final = join(cacheDir, cacheName(url));
  const part = `${final}.part`;
  const have = existsSync(part) ? statSync(part).size : 0;
  const res = await fetch(url, { headers: have ? { Range: `bytes=${have}-` } : {} });
  if (res.status === 416) {
    renameSync(part, final);
    return final;
  }
  if (!res.ok || !res.body)
    throw new VigilError('VULNDB_DOWNLOAD', `GET ${url}: HTTP ${res.status}`, { file: url });
  const resumed = res.status === 206;
  const announced = Number(res.headers.get('content-length') ?? NaN);
  let got = 0;
  const body = Readable.fromWeb(res.body as never);
  body.on('data', (c: Buffer) => {
    got += c.length;
    if (progress && Number.isFinite(announced))
      progress(`${url}: ${Math.floor((100 * got) / announced)}%`);
  });
  await pipeline(body, createWriteStream(part, { flags: resumed ? 'a' : 'w' }));
  if (Number.isFinite(announced) && got !== announced) {
    throw new VigilError(
      'VULNDB_DOWNLOAD',
      `GET ${url}: got ${got} of ${announced} bytes (run again to resume)`,
      { file: url },
    );
  }
  renameSync(part, final);
  return final;
}

/** Downloads every feed and imports what was downloaded. */
export async function updateFromFeeds(db: VulnDb, opts: UpdateOptions): Promise<ImportSummary> {
  const sum: ImportSummary = {
    files: 0,
    skipped: 0,
    advisories: 0,
    vulnerabilities: 0,
    diagnostics: [],
  };
  for (const url of opts.feeds ?? DEFAULT_FEEDS) {
    try {
      const file = await download(url, opts.cacheDir, opts.progress);
      const batches = convertFile(file, readFileSync(file, 'utf8'));
      if (!batches.length) {
        sum.skipped++;
        sum.diagnostics.push(
          warning('VULNDB_FEED_FORMAT', 'feed format not recognised', { file: url }),
        );
        continue;
      }
      for (const b of batches) {
        db.write(b);
        sum.advisories += b.advisories.length;
        sum.vulnerabilities += b.vulns.length;
      }
      sum.files++;
    } catch (e) {
      sum.skipped++;
      sum.diagnostics.push(
        warning(e instanceof VigilError ? e.code : 'VULNDB_DOWNLOAD', (e as Error).message, {
          file: url,
        }),
      );
    }
  }
  return sum;
}
