import { test } from 'node:test';
import assert from 'node:assert/strict';
import { error, formatDiagnostic, VigilError } from './diagnostics.ts';

test('diagnostics render position, code and item', () => {
  const d = error('LOAD_ERR_YAML_PARSE', 'bad indent', { file: 'r.yaml', line: 3, column: 7 }, 'my_rule');
  assert.equal(formatDiagnostic(d), 'r.yaml:3:7: error LOAD_ERR_YAML_PARSE: bad indent [my_rule]');
  assert.equal('offset' in d, false);
});

test('VigilError carries its diagnostic code', () => {
  const e = new VigilError('SCAP_TRUNCATED', 'truncated block', { file: 'x.scap', offset: 120 });
  assert.equal(e.code, 'SCAP_TRUNCATED');
  assert.equal(formatDiagnostic(e.diagnostic), 'x.scap@120: error SCAP_TRUNCATED: truncated block');
});

test('alerts print evt.time as the exact nanosecond integer', async () => {
  const { stringifyAlert } = await import('./alert.ts');
  const a = { output_fields: { 'evt.time': 1685022245478445995, 'proc.name': 'sh' }, time: '2023-05-25T13:44:05.478445995Z' };
  assert.match(stringifyAlert(a), /"evt\.time":1685022245478445995,/);
});
