/**
 * A self-contained HTML report (inline CSS, no scripts, no external assets).
 * @module
 */
import { xmlEscape as esc } from './junit.ts';
import type { GenericReport } from './types.ts';

const css = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f4f4f4}
.s{font-weight:600;border-radius:3px;padding:1px 6px;color:#fff}.pass{background:#2e7d32}.fail{background:#c62828}
.warn{background:#ef6c00}.info,.na{background:#607d8b}.accepted{background:#6a1b9a}dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px}
small{color:#666}`;

/** Renders a report as one HTML page. */
export function toHtml(r: GenericReport): string {
  const summary = Object.entries(r.summary)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v === null ? 'n/a' : String(v))}</dd>`)
    .join('');
  const rows = r.cases
    .map(
      (c) =>
        `<tr><td><span class="s ${c.status}">${c.status.toUpperCase()}</span></td><td>${esc(c.id)}</td><td>${esc(c.name)}<br><small>${esc(c.group)}</small></td>` +
        `<td>${esc(c.severity ?? '')}</td><td>${esc(c.subject ?? '')}</td><td>${esc(c.message)}${c.remediation && c.status !== 'pass' ? `<br><small>Fix: ${esc(c.remediation)}</small>` : ''}</td></tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(r.title)}</title><style>${css}</style></head>
<body><h1>${esc(r.title)}</h1><p><small>${esc(r.tool)}</small></p><dl>${summary}</dl>
<table><thead><tr><th>Status</th><th>ID</th><th>Check</th><th>Severity</th><th>Subject</th><th>Detail</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}
