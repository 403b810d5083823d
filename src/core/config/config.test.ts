import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig, parseDuration } from './index.ts';

function refused(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  assert.fail('expected ConfigError');
}

test('defaults match falco.yaml', () => {
  const { config, warnings } = loadConfig();
  assert.equal(config.json_output, false);
  assert.equal(config.json_include_output_property, true);
  assert.equal(config.json_include_tags_property, true);
  assert.equal(config.time_format_iso_8601, false);
  assert.equal(config.priority, 'debug');
  assert.equal(config.rule_matching, 'first');
  assert.equal(config.stdout_output.enabled, true);
  assert.equal(config.syslog_output.enabled, true);
  assert.equal(config.http_output.user_agent, 'falcosecurity/falco');
  assert.equal(config.output_timeout, 2000);
  assert.equal(config.store.retention.max_age, 30 * 86_400_000);
  assert.deepEqual(warnings, []);
});

test('a falco.yaml fragment loads; unknown keys warn with their position', () => {
  const text = [
    'json_output: true',
    'priority: Warning',
    'http_output:',
    '  enabled: true',
    '  url: "http://falcosidekick:2801/"',
    '  headers: {Authorization: Bearer x}',
    'grpc_output:',
    '  enabled: false',
  ].join('\n');
  const { config, warnings } = loadConfig({ text, file: 'vigil.yaml' });
  assert.equal(config.json_output, true);
  assert.equal(config.priority, 'warning');
  assert.equal(config.http_output.url, 'http://falcosidekick:2801/');
  assert.deepEqual(config.http_output.headers, { Authorization: 'Bearer x' });
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0].code, 'CONFIG_UNKNOWN_KEY');
  assert.equal(warnings[0].jsonPath, '$.grpc_output');
  assert.equal(warnings[0].line, 7);
});

test('-o overrides: typed YAML values, nested keys, list append', () => {
  const { config } = loadConfig({
    text: 'rules_files: [a.yaml]\n',
    overrides: ['json_output=true', 'http_output.enabled=true', 'http_output.url=https://x:2801/', 'rules_files[]=b.yaml', 'outbox.retry_base_ms=10'],
  });
  assert.equal(config.json_output, true);
  assert.equal(config.http_output.enabled, true);
  assert.deepEqual(config.rules_files, ['a.yaml', 'b.yaml']);
  assert.equal(config.outbox.retry_base_ms, 10);
});

test('invalid values are refused with key path, reason and line', () => {
  const e = refused(() => loadConfig({ file: 'v.yaml', text: 'json_output: yes please\nsyslog_output:\n  port: 70000\n  transport: carrier-pigeon\n' }));
  const byPath = Object.fromEntries(e.diagnostics.map((d) => [d.jsonPath, d]));
  assert.equal(byPath['$.json_output'].code, 'CONFIG_INVALID_TYPE');
  assert.equal(byPath['$.json_output'].line, 1);
  assert.equal(byPath['$.syslog_output.port'].code, 'CONFIG_OUT_OF_RANGE');
  assert.equal(byPath['$.syslog_output.port'].line, 3);
  assert.equal(byPath['$.syslog_output.transport'].code, 'CONFIG_INVALID_VALUE');
  assert.equal(byPath['$.syslog_output.transport'].column, 14);
  assert.equal(e.code, 'CONFIG_INVALID_TYPE');
});

test('cross-key checks and bad overrides are refused', () => {
  let e = refused(() => loadConfig({ overrides: ['http_output.enabled=true'] }));
  assert.equal(e.diagnostics[0].jsonPath, '$.http_output.url');
  e = refused(() => loadConfig({ overrides: ['http_output.enabled=true', 'http_output.url=ftp://x'] }));
  assert.equal(e.diagnostics[0].file, '-o');
  e = refused(() => loadConfig({ overrides: ['novalue'] }));
  assert.equal(e.code, 'CONFIG_BAD_OVERRIDE');
  e = refused(() => loadConfig({ overrides: ['priority=loud'] }));
  assert.equal(e.diagnostics[0].jsonPath, '$.priority');
});

test('YAML syntax errors and non-mappings are refused with positions', () => {
  let e = refused(() => loadConfig({ file: 'v.yaml', text: 'a: [1, 2\nb: 3\n' }));
  assert.equal(e.code, 'CONFIG_YAML_ERROR');
  assert.ok(e.diagnostics[0].line! >= 1);
  e = refused(() => loadConfig({ text: '- 1\n- 2\n' }));
  assert.equal(e.code, 'CONFIG_INVALID_TYPE');
  e = refused(() => loadConfig({ file: '/nonexistent/vigil.yaml' }));
  assert.equal(e.code, 'CONFIG_UNREADABLE');
});

test('durations', () => {
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('250'), 250);
  assert.equal(parseDuration('2d'), 172_800_000);
  assert.equal(parseDuration('1x'), undefined);
  assert.equal(parseDuration(''), undefined);
});
