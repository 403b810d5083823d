/**
 * The rules-file reader: YAML documents -> typed items, one at a time, in file order.
 * Stops at the first error in a file, as Falco does.
 * @module
 */
import { LineCounter, isMap, isSeq, parseAllDocuments } from 'yaml';
import { VigilError, error, type Diagnostic } from '../../core/index.ts';
import { readItem } from './items.ts';
import { schemaValid } from './schema.ts';
import { NodeContext, isNullNode } from './yaml-nodes.ts';
import type { ReadItem } from './types.ts';

/**
 * Largest rules file read (4 MiB, 40x the largest official file): the YAML parser needs
 * seconds per megabyte, so bigger inputs get a clean error instead of a long stall.
 */
export const MAX_RULES_FILE_BYTES = 4 * 1024 * 1024;

/** What reading a file found besides its items. */
export interface ReadState {
  warnings: Diagnostic[];
  errors: Diagnostic[];
  /** Falco's schema validation status for this file (true = validation_ok). */
  schemaOk: boolean;
}

/** Parses YAML text into documents with a line counter (the same call the bench measures). */
export function parseYaml(content: string): {
  docs: ReturnType<typeof parseAllDocuments>;
  lines: LineCounter;
} {
  const lines = new LineCounter();
  const docs = parseAllDocuments(content, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  });
  return { docs, lines };
}

/**
 * Yields the items of one rules file. Diagnostics go to `state`; the generator returns false
 * after an error (and yields nothing more). The consumer may stop early (collector errors).
 */
export function* readRulesFile(
  file: string,
  content: string,
  state: ReadState,
  maxBytes = MAX_RULES_FILE_BYTES,
): Generator<ReadItem, boolean> {
  const size = Buffer.byteLength(content, 'utf8');
  if (size > maxBytes) {
    state.errors.push(
      error('LOAD_ERR_FILE_READ', `Rules file is too large: ${size} bytes (limit ${maxBytes})`, {
        file,
      }),
    );
    return false;
  }
  let parsed: ReturnType<typeof parseYaml>;
  try {
    parsed = parseYaml(content);
  } catch (e) {
    state.errors.push(
      error('LOAD_ERR_YAML_PARSE', e instanceof Error ? e.message : String(e), { file }),
    );
    return false;
  }
  const docs = Array.isArray(parsed.docs) ? parsed.docs : [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const lp = err.linePos?.[0] ?? parsed.lines.linePos(err.pos[0]);
      const msg = err.code === 'DUPLICATE_KEY' ? `duplicate key: ${err.message}` : err.message;
      state.errors.push(
        error('LOAD_ERR_YAML_PARSE', firstLine(msg), { file, line: lp.line, column: lp.col }),
      );
      return false;
    }
  }
  const ctx = new NodeContext(file, parsed.lines, undefined, content);
  for (const doc of docs) {
    ctx.doc = doc;
    if (!schemaValid(ctx, doc.contents)) state.schemaOk = false;
  }
  for (const doc of docs) {
    ctx.doc = doc;
    const contents = doc.contents;
    if (isNullNode(ctx, contents)) continue;
    try {
      const top = ctx.deref(contents);
      if (!isSeq(top)) {
        const msg = isMap(top)
          ? 'Rules content is not yaml array of objects'
          : 'Rules content is not yaml';
        throw ctx.fail('LOAD_ERR_YAML_VALIDATE', msg, contents);
      }
      for (const node of top.items) {
        if (isNullNode(ctx, node)) continue;
        for (const item of readItem(ctx, node, state.warnings)) yield item;
      }
    } catch (e) {
      if (e instanceof VigilError) state.errors.push(e.diagnostic);
      else
        state.errors.push(
          error('LOAD_ERR_VALIDATE', e instanceof Error ? e.message : String(e), { file }),
        );
      return false;
    }
  }
  return true;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}
