/**
 * Multi-document Kubernetes manifest loading: YAML or JSON text -> objects with positions,
 * plus one diagnostic per bad document so the good documents are still checked.
 * @module
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import { error, type Diagnostic } from '../../core/index.ts';

/** A Kubernetes object read from a manifest, with where it came from. */
export interface ManifestObject {
  /** The parsed object (apiVersion, kind, metadata, ...). */
  obj: KubeObject;
  file: string;
  /** 0-based document index in the file. */
  doc: number;
  /** 1-based line where the document (or list item) starts. */
  line: number;
}

/** A loosely typed Kubernetes object: only the fields every object shares are named. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } & Record<string, unknown>;
  [key: string]: unknown;
}

/** The result of loading one file: its objects and the per-document problems. */
export interface LoadResult {
  objects: ManifestObject[];
  diagnostics: Diagnostic[];
}

/** Limits that keep hostile input from exhausting memory or time. */
export interface LoadLimits {
  /** Largest accepted input, in bytes. */
  maxBytes: number;
  /** Largest number of alias dereferences per document (billion-laughs defence). */
  maxAliasCount: number;
}

/** Default limits: 64 MiB of text, 100 alias uses per document (the yaml package's default). */
export const defaultLimits: LoadLimits = { maxBytes: 64 * 1024 * 1024, maxAliasCount: 100 };

/** Parses every document of a manifest; bad documents become diagnostics, the rest objects. */
export function loadManifests(text: string, file: string, limits: LoadLimits = defaultLimits): LoadResult {
  const objects: ManifestObject[] = [];
  const diagnostics: Diagnostic[] = [];
  if (Buffer.byteLength(text, 'utf8') > limits.maxBytes) {
    diagnostics.push(error('COMPLIANCE_INPUT_TOO_LARGE', `input is larger than ${limits.maxBytes} bytes`, { file }));
    return { objects, diagnostics };
  }
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [];
  list.forEach((d, i) => {
    const start = d.range?.[0] ?? 0;
    const line = lc.linePos(start).line;
    if (d.errors.length > 0) {
      const e = d.errors[0]!;
      const p = lc.linePos(e.pos[0]);
      diagnostics.push(error('COMPLIANCE_YAML_PARSE', `document ${i + 1}: ${e.message.split('\n')[0]}`, { file, line: p.line, column: p.col }));
      return;
    }
    let value: unknown;
    try {
      value = d.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      const code = /alias/i.test(msg) ? 'COMPLIANCE_YAML_ALIAS_LIMIT' : 'COMPLIANCE_YAML_PARSE';
      diagnostics.push(error(code, `document ${i + 1}: ${msg.split('\n')[0]}`, { file, line }));
      return;
    }
    if (value === null || value === undefined) return; // empty document between separators
    addObject(value, file, i, line, `$`, objects, diagnostics);
  });
  return { objects, diagnostics };
}

function addObject(value: unknown, file: string, doc: number, line: number, path: string, out: ManifestObject[], diags: Diagnostic[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    diags.push(error('COMPLIANCE_NOT_OBJECT', `document ${doc + 1} is not a Kubernetes object`, { file, line, jsonPath: path }));
    return;
  }
  const obj = value as KubeObject;
  if (typeof obj.kind !== 'string' || obj.kind === '') {
    diags.push(error('COMPLIANCE_NO_KIND', `document ${doc + 1} has no kind`, { file, line, jsonPath: path }));
    return;
  }
  // kubectl get -o yaml and Helm/kustomize tooling emit v1 Lists; their items are objects in their own right
  if (obj.kind === 'List' || obj.kind.endsWith('List')) {
    const items = obj.items;
    if (Array.isArray(items)) {
      items.forEach((it, j) => addObject(it, file, doc, line, `${path}.items[${j}]`, out, diags));
      return;
    }
  }
  out.push({ obj, file, doc, line });
}
