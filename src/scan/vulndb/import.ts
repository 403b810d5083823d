/**
 * `vigil db import DIR|FILE`: detects each file's feed format and writes it to the database.
 * @module
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { warning, type Diagnostic } from '../../core/index.ts';
import { importAlpineSecdb, isAlpineSecdb } from './import-alpine.ts';
import {
  importDebianList,
  importDebianTracker,
  isDebianList,
  isDebianTracker,
} from './import-debian.ts';
import { importNpmLegacy, importOsv, isNpmLegacy, isOsv } from './import-osv.ts';
import { importTrivyFixture, isTrivyFixture } from './import-trivy.ts';
import type { VulnDb } from './store.ts';
import type { ImportBatch } from './types.ts';

/** Summary of an import. */
export interface ImportSummary {
  files: number;
  skipped: number;
  advisories: number;
  vulnerabilities: number;
  diagnostics: Diagnostic[];
}

/** Converts one file's content into batches; empty when the format is not recognised. */
export function convertFile(file: string, text: string): ImportBatch[] {
  if (isDebianList(text)) return [importDebianList(text)];
  let doc: unknown;
  if (/\.ya?ml$/.test(file)) doc = parseYaml(text, { maxAliasCount: 100 });
  else if (/\.json$/.test(file) || /^\s*[[{]/.test(text)) doc = JSON.parse(text);
  else return [];
  if (isAlpineSecdb(doc)) return [importAlpineSecdb(doc, file)];
  if (isTrivyFixture(doc)) return importTrivyFixture(doc);
  if (isOsv(doc)) return [importOsv(doc)];
  if (isNpmLegacy(doc)) return [importNpmLegacy(doc)];
  if (isDebianTracker(doc)) return [importDebianTracker(doc)];
  return [];
}

function walk(path: string, out: string[]): void {
  if (statSync(path).isDirectory()) {
    for (const e of readdirSync(path).sort()) walk(join(path, e), out);
  } else out.push(path);
}

/** Imports a file or every file under a directory (trivy fixture files are merged first). */
export function importPath(db: VulnDb, path: string): ImportSummary {
  const files: string[] = [];
  walk(path, files);
  const sum: ImportSummary = {
    files: 0,
    skipped: 0,
    advisories: 0,
    vulnerabilities: 0,
    diagnostics: [],
  };
  // Trivy's data-source bucket names the source of the other buckets, so it is read with them.
  const pending: ImportBatch[] = [];
  const trivyDocs: unknown[] = [];
  for (const f of files) {
    let batches: ImportBatch[];
    try {
      const text = readFileSync(f, 'utf8');
      if (/\.ya?ml$/.test(f) && /^- bucket:/m.test(text)) {
        const doc = parseYaml(text) as unknown[];
        if (Array.isArray(doc)) trivyDocs.push(...doc);
        sum.files++;
        continue;
      }
      batches = convertFile(f, text);
    } catch (e) {
      sum.diagnostics.push(
        warning('VULNDB_IMPORT_PARSE', `cannot read: ${(e as Error).message}`, { file: f }),
      );
      sum.skipped++;
      continue;
    }
    if (batches.length === 0) {
      sum.skipped++;
      continue;
    }
    sum.files++;
    pending.push(...batches);
  }
  if (trivyDocs.length) {
    trivyDocs.sort((a, b) =>
      (a as { bucket?: string }).bucket === 'data-source'
        ? -1
        : (b as { bucket?: string }).bucket === 'data-source'
          ? 1
          : 0,
    );
    pending.push(...importTrivyFixture(trivyDocs as never));
  }
  for (const b of mergeBatches(pending)) {
    db.write(b);
    sum.advisories += b.advisories.length;
    sum.vulnerabilities += b.vulns.length;
  }
  return sum;
}

function mergeBatches(batches: ImportBatch[]): ImportBatch[] {
  const by = new Map<string, ImportBatch>();
  for (const b of batches) {
    const had = by.get(b.source.id);
    if (!had)
      by.set(b.source.id, { source: b.source, advisories: [...b.advisories], vulns: [...b.vulns] });
    else {
      had.advisories.push(...b.advisories);
      had.vulns.push(...b.vulns);
    }
  }
  return [...by.values()];
}
