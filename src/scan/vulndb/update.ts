/**
 * `vigil db update`: downloads public feeds into a cache, resuming partial downloads with HTTP
 * Range requests and verifying what arrived (the announced length, the MD5 that Google Cloud
 * Storage publishes in `x-goog-hash` for OSV's archives, each ZIP entry's CRC-32), then imports
 * them. Feed base URLs are configurable (mirrors, air-gapped proxies, tests).
 * @module
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  openSync,
  writeSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { VigilError, warning } from '../../core/index.ts';
import { feedList, type Feed, type FeedBases } from './feeds.ts';
import { convertFile, type ImportSummary } from './import.ts';
import type { VulnDb } from './store.ts';
import { eachZipJson } from './zip-feed.ts';

/** Progress of one download, for a progress bar. */
export interface DownloadProgress {
  feed: string;
  got: number;
  total?: number;
}

/** Options for {@link updateFromFeeds}. */
export interface UpdateOptions {
  cacheDir: string;
  /** Explicit feed URLs instead of the default list. */
  feeds?: string[];
  bases?: Partial<FeedBases>;
  ecosystems?: string[];
  alpine?: string[];
  debian?: boolean;
  progress?: (p: DownloadProgress) => void;
  /** One line per finished feed (non-TTY logs). */
  log?: (message: string) => void;
}

function cacheName(url: string): string {
  const u = new URL(url);
  const name = (u.host + u.pathname).replace(/[^A-Za-z0-9.-]+/g, '_');
  return /\.(json|ya?ml|zip)$/.test(name) ? name : `${name}.json`;
}

async function md5Base64(file: string): Promise<string> {
  const h = createHash('md5');
  for await (const c of createReadStream(file)) h.update(c as Buffer);
  return h.digest('base64');
}

/** Downloads one URL into the cache, resuming a partial file and verifying it; returns its path. */
export async function download(
  url: string,
  cacheDir: string,
  progress?: (got: number, total?: number) => void,
): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const final = join(cacheDir, cacheName(url));
  const part = `${final}.part`;
  const have = existsSync(part) ? statSync(part).size : 0;
  const res = await fetch(url, { headers: have ? { Range: `bytes=${have}-` } : {} }).catch(
    (e: Error) => {
      throw new VigilError('VULNDB_DOWNLOAD', `GET ${url}: ${e.message}`, { file: url });
    },
  );
  if (res.status === 416) {
    renameSync(part, final);
    return final;
  }
  if (!res.ok || !res.body)
    throw new VigilError('VULNDB_DOWNLOAD', `GET ${url}: HTTP ${res.status}`, { file: url });
  // A server that ignores Range answers 200 with the whole body: start over.
  const resumed = res.status === 206;
  const start = resumed ? have : 0;
  const announced = Number(res.headers.get('content-length') ?? NaN);
  const total = Number.isFinite(announced) ? start + announced : undefined;
  let got = 0;
  // Written synchronously chunk by chunk: whatever arrived before a dropped connection is on
  // disk for the next run to resume from.
  const fd = openSync(part, resumed ? 'a' : 'w');
  try {
    for await (const c of Readable.fromWeb(res.body as never) as AsyncIterable<Buffer>) {
      writeSync(fd, c);
      got += c.length;
      progress?.(start + got, total);
    }
  } catch (e) {
    throw new VigilError(
      'VULNDB_DOWNLOAD',
      `GET ${url}: ${(e as Error).message} after ${start + got} bytes (run again to resume)`,
      { file: url },
    );
  } finally {
    closeSync(fd);
  }
  if (Number.isFinite(announced) && got !== announced)
    throw new VigilError(
      'VULNDB_DOWNLOAD',
      `GET ${url}: got ${got} of ${announced} bytes (run again to resume)`,
      { file: url },
    );
  // GCS sends the whole object's hashes, also on range answers: check the assembled file.
  const md5 = /(?:^|,)\s*md5=([A-Za-z0-9+/=]+)/.exec(res.headers.get('x-goog-hash') ?? '')?.[1];
  if (md5 && (await md5Base64(part)) !== md5) {
    unlinkSync(part);
    throw new VigilError('VULNDB_VERIFY', `GET ${url}: MD5 differs from x-goog-hash`, {
      file: url,
    });
  }
  renameSync(part, final);
  return final;
}

function add(sum: ImportSummary, db: VulnDb, name: string, text: string): void {
  const batches = convertFile(name, text);
  if (!batches.length) {
    sum.skipped++;
    return;
  }
  for (const b of batches) {
    db.write(b);
    sum.advisories += b.advisories.length;
    sum.vulnerabilities += b.vulns.length;
  }
}

/** Downloads every feed and imports what was downloaded; failed feeds become warnings. */
export async function updateFromFeeds(db: VulnDb, opts: UpdateOptions): Promise<ImportSummary> {
  const sum: ImportSummary = {
    files: 0,
    skipped: 0,
    advisories: 0,
    vulnerabilities: 0,
    diagnostics: [],
  };
  const feeds: Feed[] = opts.feeds
    ? opts.feeds.map((url) => ({ id: url, url }))
    : feedList(opts.bases, {
        ...(opts.ecosystems ? { ecosystems: opts.ecosystems } : {}),
        ...(opts.alpine ? { alpine: opts.alpine } : {}),
        ...(opts.debian !== undefined ? { debian: opts.debian } : {}),
      });
  for (const feed of feeds) {
    try {
      const file = await download(feed.url, opts.cacheDir, (got, total) =>
        opts.progress?.({ feed: feed.id, got, ...(total !== undefined ? { total } : {}) }),
      );
      const before = sum.advisories;
      if (file.endsWith('.zip')) {
        await eachZipJson(file, (name, text) => {
          try {
            add(sum, db, name, text);
          } catch (e) {
            sum.skipped++;
            sum.diagnostics.push(
              warning('VULNDB_FEED_FORMAT', (e as Error).message, { file: `${feed.url}!/${name}` }),
            );
          }
        });
      } else {
        const skipped = sum.skipped;
        add(sum, db, file, readFileSync(file, 'utf8'));
        if (sum.skipped > skipped)
          sum.diagnostics.push(
            warning('VULNDB_FEED_FORMAT', 'feed format not recognised', { file: feed.url }),
          );
      }
      sum.files++;
      opts.log?.(`${feed.id}: ${sum.advisories - before} advisories`);
    } catch (e) {
      sum.skipped++;
      sum.diagnostics.push(
        warning(e instanceof VigilError ? e.code : 'VULNDB_DOWNLOAD', (e as Error).message, {
          file: feed.url,
        }),
      );
    }
  }
  return sum;
}
