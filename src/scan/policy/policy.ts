/**
 * CI gates and suppressions: `--fail-on SEVERITY`, an ignore file with reasons and expiry dates,
 * and OpenVEX statements (`not_affected`, `fixed`) that suppress findings.
 * @module
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { VigilError } from '../../core/index.ts';
import type { Finding } from '../match/index.ts';
import { SEVERITIES, type SeverityLevel } from '../vulndb/index.ts';

/** One ignore rule: a vulnerability id, optionally limited to a package, with a reason and expiry. */
export interface IgnoreRule {
  id: string;
  package?: string;
  reason?: string;
  /** ISO date after which the rule no longer applies. */
  expires?: string;
}

/** A finding that was suppressed, and why. */
export interface Suppressed {
  finding: Finding;
  by: 'ignore-file' | 'vex';
  reason: string;
}

/** Reads an ignore file: YAML `{ignore: [{id, package?, reason, expires?}]}` or plain lines `ID [# reason]`. */
export function readIgnoreFile(file: string): IgnoreRule[] {
  const text = readFileSync(file, 'utf8');
  if (/^\s*(ignore|vulnerabilities)\s*:/m.test(text)) {
    const doc = parseYaml(text) as { ignore?: IgnoreRule[]; vulnerabilities?: IgnoreRule[] };
    const rules = doc.ignore ?? doc.vulnerabilities ?? [];
    rules.forEach((r, i) => {
      if (!r || typeof r.id !== 'string')
        throw new VigilError('SCAN_IGNORE_FORMAT', `ignore rule ${i} has no id`, {
          file,
          jsonPath: `$.ignore[${i}]`,
        });
      if (r.expires !== undefined && Number.isNaN(Date.parse(String(r.expires)))) {
        throw new VigilError(
          'SCAN_IGNORE_FORMAT',
          `ignore rule ${r.id} has an invalid expiry "${r.expires}"`,
          { file, jsonPath: `$.ignore[${i}].expires` },
        );
      }
    });
    return rules.map((r) => ({
      ...r,
      expires: r.expires === undefined ? undefined : String(r.expires),
    }));
  }
  return text
    .split('\n')
    .map((l) => /^\s*([^#\s]+)\s*(?:#\s*(.*))?$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ id: m[1]!, ...(m[2] ? { reason: m[2] } : {}) }));
}

interface VexStatement {
  vulnerability?: { name?: string; '@id'?: string; aliases?: string[] } | string;
  products?: ({ '@id'?: string; identifiers?: { purl?: string } } | string)[];
  status?: string;
  justification?: string;
  impact_statement?: string;
}

/** Reads an OpenVEX document's statements that suppress: `not_affected` and `fixed`. */
export function readOpenVex(file: string): VexStatement[] {
  let doc: { statements?: VexStatement[] };
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new VigilError(
      'SCAN_VEX_FORMAT',
      `not an OpenVEX JSON document: ${(e as Error).message}`,
      { file },
    );
  }
  if (!Array.isArray(doc.statements))
    throw new VigilError('SCAN_VEX_FORMAT', 'OpenVEX document without statements', {
      file,
      jsonPath: '$.statements',
    });
  return doc.statements.filter((s) => s.status === 'not_affected' || s.status === 'fixed');
}

function vexNames(s: VexStatement): string[] {
  const v = s.vulnerability;
  if (typeof v === 'string') return [v];
  return [v?.name, v?.['@id'], ...(v?.aliases ?? [])].filter((x): x is string => !!x);
}

// A product matches by purl; a purl without version or qualifiers covers every version.
function productMatches(
  p: VexStatement['products'] extends (infer T)[] | undefined ? T : never,
  purl: string,
): boolean {
  const id = typeof p === 'string' ? p : (p.identifiers?.purl ?? p['@id'] ?? '');
  if (!id) return false;
  const base = (s: string): string => s.replace(/[?#].*$/, '');
  return base(id) === base(purl) || (!id.includes('@') && base(purl).split('@')[0] === id);
}

/** Splits findings into kept and suppressed by ignore rules (not expired at `now`) and VEX statements. */
export function applySuppressions(
  findings: Finding[],
  ignore: IgnoreRule[],
  vex: VexStatement[],
  now = new Date(),
): { kept: Finding[]; suppressed: Suppressed[] } {
  const kept: Finding[] = [];
  const suppressed: Suppressed[] = [];
  for (const f of findings) {
    const ids = [f.vulnId, ...(f.aliases ?? [])];
    const rule = ignore.find(
      (r) =>
        ids.includes(r.id) &&
        (!r.package || r.package === f.pkg.name) &&
        (!r.expires || Date.parse(r.expires) >= now.getTime()),
    );
    if (rule) {
      suppressed.push({
        finding: f,
        by: 'ignore-file',
        reason: rule.reason ?? 'listed in the ignore file',
      });
      continue;
    }
    const st = vex.find(
      (s) =>
        vexNames(s).some((n) => ids.includes(n)) &&
        (s.products ?? []).some((p) => productMatches(p, f.pkg.purl)),
    );
    if (st) {
      suppressed.push({
        finding: f,
        by: 'vex',
        reason: `${st.status}${st.justification ? `: ${st.justification}` : ''}`,
      });
      continue;
    }
    kept.push(f);
  }
  return { kept, suppressed };
}

/** Parses a `--fail-on` severity. */
export function parseFailOn(s: string): SeverityLevel {
  const u = s.toUpperCase();
  if (!(SEVERITIES as readonly string[]).includes(u))
    throw new VigilError(
      'SCAN_BAD_SEVERITY',
      `unknown severity "${s}" (one of ${SEVERITIES.join(', ')})`,
    );
  return u as SeverityLevel;
}

/** True when any finding is at or above the threshold. */
export function failsGate(findings: Finding[], threshold: SeverityLevel): boolean {
  const min = SEVERITIES.indexOf(threshold);
  return findings.some((f) => SEVERITIES.indexOf(f.severity) >= min);
}
