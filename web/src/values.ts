// Field values as text. Answers are parsed exactly (see api.ts), so int64 fields arrive as
// bigint; they are written back as the same bare digits the API sent.
import { stringifyExact } from '../../src/store/json.ts';

/** A field value as text: strings as they are, anything else as exact JSON. */
export function showValue(v: unknown): string {
  return typeof v === 'string' ? v : stringifyExact(v);
}
