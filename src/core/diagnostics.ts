/**
 * Typed diagnostics shared by every room: a stable code, a message, and a position where
 * there is one. Tests assert codes; the CLI and HTTP API render the same objects.
 * @module
 */

/** How serious a diagnostic is: errors stop a load or a request, warnings do not. */
export type Severity = 'error' | 'warning';

/** Where a problem is: file:line:col for text, byte offset for binary, JSON path for documents. */
export interface Position {
  file?: string;
  /** 1-based line. */
  line?: number;
  /** 1-based column. */
  column?: number;
  /** Byte offset into a binary input (captures, archives). */
  offset?: number;
  /** JSON path (e.g. `$.items[3].metadata`) into a structured document. */
  jsonPath?: string;
}

/** One error or warning, as rendered by the CLI (`-o json`) and the HTTP API. */
export interface Diagnostic extends Position {
  code: string;
  severity: Severity;
  message: string;
  /** The named item the problem belongs to (a rule, macro or list name), when there is one. */
  item?: string;
}

/** Builds an error diagnostic. */
export function error(code: string, message: string, pos: Position = {}, item?: string): Diagnostic {
  return clean({ code, severity: 'error', message, ...pos, item });
}

/** Builds a warning diagnostic. */
export function warning(code: string, message: string, pos: Position = {}, item?: string): Diagnostic {
  return clean({ code, severity: 'warning', message, ...pos, item });
}

function clean(d: Diagnostic): Diagnostic {
  for (const k of Object.keys(d) as (keyof Diagnostic)[]) if (d[k] === undefined) delete d[k];
  return d;
}

/** An exception that carries a diagnostic, for code paths that must unwind (parsers, readers). */
export class VigilError extends Error {
  readonly diagnostic: Diagnostic;
  constructor(code: string, message: string, pos: Position = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VigilError';
    this.diagnostic = error(code, message, pos);
  }
  /** The stable code, e.g. `LOAD_ERR_YAML_PARSE`. */
  get code(): string {
    return this.diagnostic.code;
  }
}

/** Formats a position as `file:line:col` (or `file@offset`, `file $.path`) for human output. */
export function formatPosition(p: Position): string {
  let s = p.file ?? '';
  if (p.line !== undefined) s += `${s ? ':' : ''}${p.line}${p.column !== undefined ? `:${p.column}` : ''}`;
  if (p.offset !== undefined) s += `${s ? '@' : 'offset '}${p.offset}`;
  if (p.jsonPath !== undefined) s += `${s ? ' ' : ''}${p.jsonPath}`;
  return s;
}

/** One human-readable line per diagnostic: `file:3:7: error LOAD_ERR_X: message (item)`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = formatPosition(d);
  const item = d.item ? ` [${d.item}]` : '';
  return `${where ? where + ': ' : ''}${d.severity} ${d.code}: ${d.message}${item}`;
}
