/**
 * The condition parser's error type.
 * @module
 */
import { VigilError } from '../../core/index.ts';
import type { SourcePos } from './ast.ts';

/** A syntax error in a condition: code CONDITION_SYNTAX, libsinsp's wording, position in the text. */
export class ConditionSyntaxError extends VigilError {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  constructor(message: string, pos: SourcePos) {
    super('CONDITION_SYNTAX', message, { line: pos.line, column: pos.column, offset: pos.offset });
    this.name = 'ConditionSyntaxError';
    this.offset = pos.offset;
    this.line = pos.line;
    this.column = pos.column;
  }
}
