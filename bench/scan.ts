/**
 * Image scan speed and memory, measured side by side in one run:
 *  - for each image, a full `scan` (read, decompress, apply layers, catalog) against just
 *    reading and decompressing the same archive (outer gzip and gzip layers);
 *  - peak RSS of each, from a fresh child process.
 * Images: the staged alpine 3.10.4 archive, plus a Debian 12 image generated from this host's
 * /usr, /etc and dpkg database (a real bookworm file tree; size shown) unless --no-host.
 * Goal: scan/read ratio <= 2x; scan peak RSS <= 300 MB on a 1 GB image.
 *
 *   node --import tsx bench/scan.ts [--host-size-mb 1024] [--no-host]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { conformancePath } from '../src/core/index.ts';
import { catalogView, openImage, wantForCatalogers } from '../src/scan/index.ts';

async function countBytes(stream: AsyncIterable<Buffer>): Promise<number> {
  let n = 0;
  for await (const c of stream) n += c.length;
  return n;
}

async function isGzip(file: string): Promise<boolean> {
  for await (const c of createReadStream(file, { start: 0, end: 1 }))
    return c[0] === 0x1f && c[1] === 0x8b;
  return false;
}

// The scanner inflates in 64 KiB chunks (src/scan/image/streams.ts); the reference does too,
// so the ratio measures scanning work, not a chunk-size difference.
const INFLATE = { chunkSize: 64 * 1024 };

/** The reference: read the archive, gunzip it, and gunzip every gzip entry inside. */
async function readDecompress(file: string): Promise<number> {
  const src = createReadStream(file);
  const outer = (await isGzip(file)) ? src.pipe(createGunzip(INFLATE)) : src;
  const ex = tar.extract();
  outer.pipe(ex);
  let n = 0;
  for await (const entry of ex) {
    const it = entry as unknown as AsyncIterable<Buffer>;
    const chunks: Buffer[] = [];
    let first = true;
    let gz: ReturnType<typeof createGunzip> | undefined;
    let counting: Promise<number> | undefined;
    for await (const c of it) {
      if (first && c[0] === 0x1f && c[1] === 0x8b) {
        gz = createGunzip(INFLATE);
        counting = countBytes(gz);
      }
      first = false;
      if (gz) {
        if (!gz.write(c)) await new Promise((r) => gz!.once('drain', r));
      } else n += c.length;
      chunks.length = 0;
    }
    if (gz) {
      gz.end();
      n += await counting!;
    }
  }
  return n;
}

// Each side runs twice in its own process: the first run includes JIT warm-up of the code
// involved (which dominates small images), the second shows the steady state.
async function child(mode: string, file: string): Promise<void> {
  const times: number[] = [];
  let detail = '';
  for (let i = 0; i < 2; i++) {
    const t0 = process.hrtime.bigint();
    if (mode === 'scan') {
      const { view } = await openImage(file, wantForCatalogers);
      detail = `${catalogView(view).packages.length} packages`;
    } else detail = `${await readDecompress(file)} bytes`;
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  process.stdout.write(
    JSON.stringify({
      ms: times[0],
      warmMs: times[1],
      rssMb: process.resourceUsage().maxRSS / 1024,
      detail,
    }) + '\n',
  );
}

function run(
  mode: string,
  file: string,
): { ms: number; warmMs: number; rssMb: number; detail: string } {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, '--child', mode, file],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (r.status !== 0) throw new Error(`${mode} ${file} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function hostImage(dir: string, sizeMb: number): string {
  // One gzip layer holding a real Debian file tree, cut at about sizeMb of input.
  const list = execFileSync(
    'sh',
    [
      '-c',
      `cd / && find usr etc var/lib/dpkg -xdev -type f -readable 2>/dev/null | head -c 200000000`,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  )
    .split('\n')
    .filter(Boolean);
  let total = 0;
  const chosen: string[] = ['var/lib/dpkg/status', 'etc/os-release'];
  for (const f of list) {
    if (total > sizeMb * 1024 * 1024) break;
    try {
      total += statSync('/' + f).size;
      chosen.push(f);
    } catch {
      // vanished files are skipped
    }
  }
  const listFile = join(dir, 'files');
  execFileSync('sh', ['-c', `cat > ${listFile}`], { input: chosen.join('\n') });
  execFileSync('sh', [
    '-c',
    `mkdir -p ${dir}/img/l && tar -C / -cf - -T ${listFile} 2>/dev/null | gzip -1 > ${dir}/img/l/layer.tar.gz || true`,
  ]);
  const diff = execFileSync(
    'sh',
    ['-c', `gzip -dc ${dir}/img/l/layer.tar.gz | sha256sum | cut -d' ' -f1`],
    { encoding: 'utf8' },
  ).trim();
  const cfg = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [`sha256:${diff}`] },
  });
  execFileSync('sh', [
    '-c',
    `cd ${dir}/img && printf '%s' '${cfg}' > config.json && printf '%s' '[{"Config":"config.json","RepoTags":["host-bookworm:bench"],"Layers":["l/layer.tar.gz"]}]' > manifest.json && tar -cf ../host.tar manifest.json config.json l`,
  ]);
  return join(dir, 'host.tar');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1]!, args[2]!);
  const images: string[] = [];
  const alpine = conformancePath('scan', 'images', 'trivy-alpine-310.tar.gz');
  if (alpine && existsSync(alpine)) images.push(alpine);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-scan-'));
  try {
    if (!args.includes('--no-host')) {
      const i = args.indexOf('--host-size-mb');
      images.push(hostImage(dir, i >= 0 ? Number(args[i + 1]) : 1024));
    }
    for (const img of images) {
      run('read', img); // warm the page cache for both sides
      const ref = run('read', img);
      const scan = run('scan', img);
      console.log(
        `${img} (${(statSync(img).size / 1e6).toFixed(1)} MB on disk, ${ref.detail} decompressed; ${scan.detail})`,
      );
      console.log(
        `  read+decompress ${ref.ms.toFixed(0)} ms (second run ${ref.warmMs.toFixed(0)} ms), peak RSS ${ref.rssMb.toFixed(0)} MB`,
      );
      console.log(
        `  scan            ${scan.ms.toFixed(0)} ms (second run ${scan.warmMs.toFixed(0)} ms), peak RSS ${scan.rssMb.toFixed(0)} MB`,
      );
      console.log(
        `  ratio scan/read ${(scan.ms / ref.ms).toFixed(2)}x first run, ${(scan.warmMs / ref.warmMs).toFixed(2)}x second run (goal <= 2x)` +
          ' [each side: fresh process, same modules imported before timing, same 64 KiB inflate chunks]',
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
