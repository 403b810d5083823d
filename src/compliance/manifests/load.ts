/**
 * Multi-document Kubernetes manifest loading: YAML or JSON text -> objects with positions,
 * plus one diagnostic per bad document so the good documents are still checked.
 * @module
 */
import { LineCounter, parseDocument } from 'yaml';
import { error, type Diagnostic } from '../../core/index.ts';
// type-only: erased at run time, so manifest loading does not load the k8s room (gRPC, client-node)
import type { ClusterObject } from '../../k8s/index.ts';

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

/** A loosely typed Kubernetes object (the k8s room's shape: only the fields every object shares are named). */
export type KubeObject = ClusterObject;

/** The result of loading one file: its objects and the per-document problems. */
export interface LoadResult {
  objects: ManifestObject[];
  diagnostics: Diagnostic[];
}

/** Limits that keep hostile input from exhausting memory or time. */
export interface LoadLimits {
  /** Largest accepted input, in bytes. */
  maxBytes: number;
  /** Largest accepted single document, in bytes; larger ones are skipped with an error. */
  maxDocBytes: number;
  /** Largest number of alias dereferences per document (billion-laughs defence). */
  maxAliasCount: number;
}

/** Default limits: 256 MiB of text, 16 MiB per document, 100 alias uses per document (the yaml package's default). */
export const defaultLimits: LoadLimits = {
  maxBytes: 256 * 1024 * 1024,
  maxDocBytes: 16 * 1024 * 1024,
  maxAliasCount: 100,
};

/** A document's text and the 1-based line it starts on. */
interface Chunk {
  text: string;
  line: number;
}

/**
 * Splits a stream at `---` document markers. A marker at column 0 cannot occur inside a YAML
 * scalar, so each chunk parses on its own: one broken document cannot swallow the next.
 */
export function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  const re = /^---(?=[ \t\r\n]|$)/gm;
  let start = 0;
  let line = 1;
  let m: RegExpExecArray | null;
  const linesIn = (a: number, b: number) => {
    let n = 0;
    for (let i = text.indexOf('\n', a); i >= 0 && i < b; i = text.indexOf('\n', i + 1)) n++;
    return n;
  };
  while ((m = re.exec(text))) {
    if (m.index > start || chunks.length > 0 || m.index > 0) {
      chunks.push({ text: text.slice(start, m.index), line });
      line += linesIn(start, m.index);
    }
    start = m.index;
    re.lastIndex = m.index + 3;
  }
  chunks.push({ text: text.slice(start), line });
  // the text before the first marker is a document only if it holds something besides comments
  return chunks.filter((c, i) => i > 0 || /^(?!\s*(#|%|$)).+/m.test(c.text));
}

/** Parses every document of a manifest; bad documents become diagnostics, the rest objects. */
export function loadManifests(
  text: string,
  file: string,
  limits: LoadLimits = defaultLimits,
): LoadResult {
  const objects: ManifestObject[] = [];
  const diagnostics: Diagnostic[] = [];
  if (Buffer.byteLength(text, 'utf8') > limits.maxBytes) {
    diagnostics.push(
      error('COMPLIANCE_INPUT_TOO_LARGE', `input is larger than ${limits.maxBytes} bytes`, {
        file,
      }),
    );
    return { objects, diagnostics };
  }
  splitDocuments(text).forEach((chunk, i) => {
    const line = chunk.line;
    if (Buffer.byteLength(chunk.text, 'utf8') > limits.maxDocBytes) {
      diagnostics.push(
        error(
          'COMPLIANCE_DOC_TOO_LARGE',
          `document ${i + 1} is larger than ${limits.maxDocBytes} bytes; skipped`,
          { file, line },
        ),
      );
      return;
    }
    const lc = new LineCounter();
    let d;
    try {
      d = parseDocument(chunk.text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
    } catch (err) {
      // pathological nesting can exhaust the parser's stack: that document is refused, not the run
      diagnostics.push(
        error(
          'COMPLIANCE_YAML_PARSE',
          `document ${i + 1}: ${(err as Error).message.split('\n')[0]}`,
          { file, line },
        ),
      );
      return;
    }
    if (d.errors.length > 0) {
      const e = d.errors[0]!;
      const p = lc.linePos(e.pos[0]);
      diagnostics.push(
        error('COMPLIANCE_YAML_PARSE', `document ${i + 1}: ${e.message.split('\n')[0]}`, {
          file,
          line: line + p.line - 1,
          column: p.col,
        }),
      );
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

function addObject(
  value: unknown,
  file: string,
  doc: number,
  line: number,
  path: string,
  out: ManifestObject[],
  diags: Diagnostic[],
): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    diags.push(
      error('COMPLIANCE_NOT_OBJECT', `document ${doc + 1} is not a Kubernetes object`, {
        file,
        line,
        jsonPath: path,
      }),
    );
    return;
  }
  const obj = value as KubeObject;
  if (typeof obj.kind !== 'string' || obj.kind === '') {
    diags.push(
      error('COMPLIANCE_NO_KIND', `document ${doc + 1} has no kind`, {
        file,
        line,
        jsonPath: path,
      }),
    );
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
