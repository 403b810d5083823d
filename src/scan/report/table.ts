/**
 * The human table: one line per finding, grouped by target, with a severity summary.
 * @module
 */
import type { ScanResult } from '../scan.ts';
import { SEVERITIES } from '../vulndb/index.ts';

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** Renders findings (or the package list when there are none and `packages` is set) as text. */
export function renderTable(r: ScanResult, opts: { packages?: boolean } = {}): string {
  const os = r.inventory.os ? `${r.inventory.os.family} ${r.inventory.os.version}` : 'unknown OS';
  const lines = [
    `${r.target.source} (${os}) — ${r.inventory.packages.length} packages, ${r.findings.length} vulnerabilities`,
  ];
  const counts = SEVERITIES.map(
    (s) => `${s}: ${r.findings.filter((f) => f.severity === s).length}`,
  ).join(', ');
  lines.push(`Total: ${r.findings.length} (${counts})`, '');
  if (opts.packages) {
    const rows = r.inventory.packages.map((p) => [p.name, p.version, p.type, p.foundIn]);
    const w = [0, 1, 2].map((i) => Math.max(8, ...rows.map((x) => x[i]!.length)));
    lines.push(
      [pad('PACKAGE', w[0]!), pad('VERSION', w[1]!), pad('TYPE', w[2]!), 'PATH'].join('  '),
    );
    for (const x of rows)
      lines.push([pad(x[0]!, w[0]!), pad(x[1]!, w[1]!), pad(x[2]!, w[2]!), x[3]].join('  '));
    return lines.join('\n') + '\n';
  }
  if (r.findings.length === 0) return lines.join('\n') + '\n';
  const rows = r.findings.map((f) => [
    f.pkg.name,
    f.vulnId,
    f.severity,
    f.installed,
    f.fixed ?? '',
    f.title ?? '',
  ]);
  const w = [0, 1, 2, 3, 4].map((i) =>
    Math.max(i === 4 ? 13 : 8, ...rows.map((x) => x[i]!.length)),
  );
  lines.push(
    ['LIBRARY', 'VULNERABILITY', 'SEVERITY', 'INSTALLED', 'FIXED VERSION']
      .map((h, i) => pad(h, w[i]!))
      .join('  ') + '  TITLE',
  );
  for (const x of rows)
    lines.push(
      x
        .slice(0, 5)
        .map((c, i) => pad(c, w[i]!))
        .join('  ') +
        '  ' +
        x[5]!.slice(0, 80),
    );
  return lines.join('\n') + '\n';
}
