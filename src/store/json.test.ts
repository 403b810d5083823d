import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJsonExact, stringifyExact } from './json.ts';

test('64-bit integers survive a parse/stringify round trip byte-exact', () => {
  const text = '{"evt.time":1470327477881781397,"neg":-9223372036854775808,"small":42,"f":1.5,"s":"1470327477881781397 \\" 12345678901234567","a":[18446744073709551615]}';
  const v = parseJsonExact(text) as Record<string, unknown>;
  assert.equal(v['evt.time'], 1470327477881781397n);
  assert.equal(v.small, 42);
  assert.equal(v.s, '1470327477881781397 " 12345678901234567');
  assert.equal(stringifyExact(v), text);
  assert.equal(stringifyExact({ a: 1 }), '{"a":1}');
  assert.throws(() => parseJsonExact('{"a":12345678901234567'), SyntaxError);
});
