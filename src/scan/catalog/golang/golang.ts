/**
 * Go binaries: modules, replacements, the main module and the standard library version from
 * the build info every Go >= 1.13 binary carries. Executables stream through
 * {@link GoBuildInfoCapture}; only binaries with build info are kept, as JSON.
 * @module
 */
import { warning, type Diagnostic } from '../../../core/index.ts';
import { purl } from '../purl.ts';
import type { Cataloger, CatalogResult, Package } from '../types.ts';
import { readBuildInfo, wholeFile, type GoBuildInfo, type GoModule } from './buildinfo.ts';
import { GoBuildInfoCapture } from './capture.ts';

// Smaller executables are scripts or tiny C programs; the smallest Go binary is over 1 MB.
const MIN_SIZE = 64 * 1024;

function goPurl(path: string, version: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0
    ? purl('golang', undefined, path, version)
    : purl('golang', path.slice(0, slash), path.slice(slash + 1), version);
}

function pkg(path: string, version: string, file: string, layer?: number): Package {
  const p: Package = {
    name: path,
    version,
    type: 'golang',
    purl: goPurl(path, version),
    foundIn: file,
  };
  if (layer !== undefined) p.layer = layer;
  return p;
}

// A main module built from a checkout says `(devel)`; a `-X …version=v1.2.3` link flag often
// carries the release.
function mainVersion(info: GoBuildInfo, m: GoModule): string | undefined {
  if (m.version && m.version !== '(devel)') return m.version;
  const flags = info.settings['-ldflags'] ?? '';
  const x = /-X[= ]'?(?:main|[\w./-]+\/version)\.[Vv]ersion=(v?\d[\w.+-]*)/.exec(flags);
  return x?.[1];
}

/** The packages a binary's build info names: main module, dependencies, `stdlib`. */
export function goPackages(info: GoBuildInfo, file: string, layer?: number): Package[] {
  const out: Package[] = [];
  if (info.main?.path) {
    const v = mainVersion(info, info.main);
    if (v) out.push(pkg(info.main.path, v, file, layer));
  }
  for (const d of info.deps) {
    const m = d.replace ?? d;
    // A replacement by a local directory has no version to match.
    if (!m.version) continue;
    out.push(pkg(m.path, m.version, file, layer));
  }
  const std = /^go(\d+\.\d+(?:\.\d+)?)/.exec(info.goVersion);
  if (std) {
    const v = std[1]!.split('.').length === 2 ? `${std[1]}.0` : std[1]!;
    out.push(pkg('stdlib', `v${v}`, file, layer));
  }
  return out;
}

/**
 * Build info of a Go binary held whole in memory (tests, small files); undefined otherwise.
 * Throws `SCAN_GO_BINARY_HEADER` for malformed executable headers.
 */
export function parseGoBinary(buf: Buffer): GoBuildInfo | undefined {
  return readBuildInfo(wholeFile(buf));
}

/** The Go binary cataloger. */
export const golangCataloger: Cataloger = {
  id: 'golang',
  version: 1,
  wants: () => false,
  // Windows executables in Linux images rarely carry an executable mode bit.
  reducer: (path, size, mode) =>
    ((mode & 0o111) !== 0 || /\.exe$/i.test(path)) && size >= MIN_SIZE
      ? new GoBuildInfoCapture()
      : undefined,
  catalog({ files }) {
    const out: CatalogResult = { packages: [], diagnostics: [] };
    for (const f of files) {
      if (f.reducedBy !== 'golang') continue;
      try {
        const info = JSON.parse(f.data!.toString('utf8')) as GoBuildInfo | { fault: Diagnostic };
        if ('fault' in info) {
          out.diagnostics.push({ ...info.fault, severity: 'warning', file: f.path });
          continue;
        }
        out.packages.push(...goPackages(info, f.path, f.layer));
      } catch {
        out.diagnostics.push(
          warning('SCAN_GO_BUILDINFO', 'unreadable Go build info', { file: f.path }),
        );
      }
    }
    return out;
  },
};
