/**
 * Alpine secdb (`v3.NN/main.json|yaml`): per package, fixed versions and the CVEs they fix.
 * @module
 */
import { VigilError } from '../../core/index.ts';
import type { Advisory, ImportBatch } from './types.ts';

interface SecDb {
  distroversion?: string;
  packages?: { pkg?: { name?: string; secfixes?: Record<string, (string | null)[] | null> } }[];
}

/** True when a parsed document looks like an Alpine secdb. */
export function isAlpineSecdb(doc: unknown): doc is SecDb {
  return typeof doc === 'object' && doc !== null && 'distroversion' in doc && 'packages' in doc;
}

/** Converts one secdb document. A fixed version "0" means the package was never affected. */
export function importAlpineSecdb(doc: SecDb, file: string): ImportBatch {
  const rel = /^v?(\d+\.\d+)/.exec(String(doc.distroversion ?? ''))?.[1];
  if (!rel) throw new VigilError('VULNDB_FORMAT', `secdb without a usable distroversion`, { file });
  const advisories: Advisory[] = [];
  for (const p of doc.packages ?? []) {
    const name = p.pkg?.name;
    if (!name) continue;
    for (const [fixed, ids] of Object.entries(p.pkg?.secfixes ?? {})) {
      for (const entry of ids ?? []) {
        // Entries may list several ids ("CVE-1 CVE-2") or carry notes after the id.
        for (const id of String(entry ?? '')
          .split(/\s+/)
          .filter((s) => /^[A-Z]+-\d/.test(s))) {
          const a: Advisory = {
            source: 'alpine',
            ecosystem: `alpine:${rel}`,
            package: name,
            vulnId: id,
            status: fixed === '0' ? 'not_affected' : 'fixed',
          };
          if (fixed !== '0') a.fixed = fixed;
          advisories.push(a);
        }
      }
    }
  }
  return {
    source: { id: 'alpine', name: 'Alpine Secdb', url: 'https://secdb.alpinelinux.org/' },
    advisories,
    vulns: [],
  };
}
