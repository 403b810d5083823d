/**
 * report: table, JSON, SARIF 2.1.0, CycloneDX 1.5 and SPDX 2.3 renderers.
 * @module
 */
import type { Suppressed } from '../policy/index.ts';
import type { ScanResult } from '../scan.ts';
import { renderCycloneDx } from './cyclonedx.ts';
import { renderJson } from './json.ts';
import { renderSarif } from './sarif.ts';
import { renderSpdx } from './spdx.ts';
import { renderTable } from './table.ts';

export { renderCycloneDx, renderJson, renderSarif, renderSpdx, renderTable };

/** Output formats of `vigil scan`, sorted. */
export const REPORT_FORMATS = ['cyclonedx', 'json', 'sarif', 'spdx-json', 'table'] as const;

/** A report format name. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Renders a scan in a format. */
export function renderReport(
  format: ReportFormat,
  r: ScanResult,
  suppressed: Suppressed[] = [],
): string {
  switch (format) {
    case 'json':
      return renderJson(r, suppressed);
    case 'sarif':
      return renderSarif(r);
    case 'cyclonedx':
      return renderCycloneDx(r);
    case 'spdx-json':
      return renderSpdx(r);
    default:
      return renderTable(r);
  }
}
