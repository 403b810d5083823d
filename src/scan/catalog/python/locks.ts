/**
 * Python lockfiles: requirements.txt (exact pins), Pipfile.lock, poetry.lock and uv.lock.
 * @module
 */
import { error, type Diagnostic } from '../../../core/index.ts';
import type { CatalogResult, Package } from '../types.ts';
import { pyPackage } from './metadata.ts';

/** Exact `==`/`===` pins of a requirements file; ranges and wildcards name no installed version. */
export function parseRequirements(text: string, file: string, layer?: number): CatalogResult {
  const packages: Package[] = [];
  const logical = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const raw of logical) {
    const line = raw
      .replace(/(^|\s)#.*$/, '')
      .split(';')[0]!
      .replace(/\s--hash=\S+/g, '')
      .trim();
    if (!line || line.startsWith('-')) continue;
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*===?\s*([^\s,*]+)$/.exec(line);
    if (m) packages.push(pyPackage(m[1]!, m[2]!, file, layer));
  }
  return { packages, diagnostics: [] };
}

/** Pipfile.lock: `default` and `develop` sections of `{name: {version: "==X"}}`. */
export function parsePipfileLock(text: string, file: string, layer?: number): CatalogResult {
  let doc: Record<string, Record<string, { version?: string }>>;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return {
      packages: [],
      diagnostics: [
        error('SCAN_LOCKFILE_PARSE', `invalid JSON: ${(e as Error).message}`, { file }),
      ],
    };
  }
  const packages: Package[] = [];
  for (const [section, dev] of [
    ['default', false],
    ['develop', true],
  ] as const) {
    for (const [name, d] of Object.entries(doc[section] ?? {})) {
      const v = d.version?.replace(/^==/, '');
      if (v) packages.push(pyPackage(name, v, file, layer, dev));
    }
  }
  return { packages, diagnostics: [] };
}

interface TomlPackage {
  name?: string;
  version?: string;
  source?: string;
  category?: string;
  line: number;
}

// The `[[package]]` tables of poetry.lock/uv.lock hold flat `key = value` lines before any
// sub-table, which is all we need; a full TOML parser is not required for that.
function tomlPackages(text: string): TomlPackage[] {
  const out: TomlPackage[] = [];
  let cur: TomlPackage | undefined;
  text.split('\n').forEach((line, i) => {
    const t = line.trim();
    if (t.startsWith('[')) {
      cur = t === '[[package]]' ? { line: i + 1 } : undefined;
      if (cur) out.push(cur);
      return;
    }
    if (!cur) return;
    const m = /^(name|version|category|source)\s*=\s*(.*)$/.exec(t);
    if (!m) return;
    const v = m[2]!;
    if (m[1] === 'source') cur.source = v;
    else cur[m[1] as 'name' | 'version' | 'category'] = /^"(.*)"$/.exec(v)?.[1] ?? v;
  });
  return out;
}

/** poetry.lock and uv.lock `[[package]]` entries (uv's editable/virtual project itself excluded). */
export function parseTomlLock(text: string, file: string, layer?: number): CatalogResult {
  const packages: Package[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const p of tomlPackages(text)) {
    if (p.source && /\b(editable|virtual)\s*=/.test(p.source)) continue;
    if (!p.name || !p.version) {
      diagnostics.push(
        error('SCAN_LOCKFILE_PARSE', '[[package]] without name or version', { file, line: p.line }),
      );
      continue;
    }
    packages.push(pyPackage(p.name, p.version, file, layer, p.category === 'dev'));
  }
  return { packages, diagnostics };
}
