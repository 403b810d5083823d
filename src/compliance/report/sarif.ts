/**
 * SARIF 2.1.0 rendering: one rule per check id, one result per failed/warned/accepted case
 * (accepted ones carry a suppression so code-scanning UIs show them as dismissed).
 * @module
 */
import type { GenericReport, ReportCase } from './types.ts';

const level: Record<string, string> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

function resultLevel(c: ReportCase): string {
  if (c.status === 'warn') return 'warning';
  return level[c.severity ?? 'high'] ?? 'error';
}

/** Renders a report as a SARIF 2.1.0 log object. */
export function toSarif(r: GenericReport, version = '0.1.0'): object {
  const rules = new Map<string, object>();
  const results: object[] = [];
  for (const c of r.cases) {
    if (!rules.has(c.id)) {
      rules.set(c.id, {
        id: c.id,
        name: c.name
          .replace(/[^A-Za-z0-9]+/g, ' ')
          .trim()
          .replace(/ (\w)/g, (_m, x: string) => x.toUpperCase()),
        shortDescription: { text: c.name },
        help: { text: c.remediation ?? c.name },
        properties: { group: c.group, ...(c.severity ? { severity: c.severity } : {}) },
      });
    }
    if (c.status !== 'fail' && c.status !== 'warn' && c.status !== 'accepted') continue;
    const loc = c.file
      ? [
          {
            physicalLocation: {
              artifactLocation: { uri: c.file },
              ...(c.line ? { region: { startLine: c.line } } : {}),
            },
            ...(c.subject ? { logicalLocations: [{ fullyQualifiedName: c.subject }] } : {}),
          },
        ]
      : c.subject
        ? [{ logicalLocations: [{ fullyQualifiedName: c.subject }] }]
        : [];
    results.push({
      ruleId: c.id,
      level: resultLevel(c),
      message: { text: c.subject ? `${c.subject}: ${c.message}` : c.message },
      locations: loc,
      ...(c.status === 'accepted'
        ? { suppressions: [{ kind: 'external', justification: c.message }] }
        : {}),
    });
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: r.tool, version, rules: [...rules.values()] } },
        results,
        properties: { title: r.title, summary: r.summary },
      },
    ],
  };
}
