/**
 * Every field the official rules files use (conditions of rules and macros, outputs,
 * exception fields) resolves in the field table of the rule's source, and every real field
 * of libsinsp's compiler vectors exists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { needConformance } from './helpers.ts';
import { parseCondition } from '../../src/rules/index.ts';
import { fieldTables } from '../../src/sources/index.ts';

const rules = needConformance('falco', 'rules');
const overlays = needConformance('falco', 'k8saudit', 'rules');
const vectors = needConformance('falco', 'testvectors', 'libs_filter_compiler_vectors.json');
const tables = fieldTables();

/** Field names (without bracket arguments) in a parsed condition. */
function conditionFields(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const x of node) conditionFields(x, out);
  } else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.kind === 'field' && typeof o.field === 'string') out.add(o.field);
    for (const [k, v] of Object.entries(o)) if (k !== 'pos') conditionFields(v, out);
  }
}

function outputFields(output: string, out: Set<string>): void {
  for (const m of output.matchAll(/%\(?([a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z0-9_]+)+)/g)) out.add(m[1]!);
}

/** Fields used per source in the given rules files. */
function usedFields(paths: string[]): Map<string, Set<string>> {
  const bySource = new Map<string, Set<string>>();
  for (const p of paths) {
    for (const doc of parseAllDocuments(readFileSync(p, 'utf8'))) {
      const items = (doc.toJS() ?? []) as Record<string, unknown>[];
      // macros carry no source: files hold one source each, taken from their rules
      const fileSource = (items.find((i) => i.rule && i.source) as { source?: string } | undefined)?.source ?? 'syscall';
      for (const it of items) {
        if (!it.rule && !it.macro) continue;
        const src = typeof it.source === 'string' ? it.source : fileSource;
        const set = bySource.get(src) ?? new Set<string>();
        bySource.set(src, set);
        if (typeof it.condition === 'string' && it.condition.trim() !== '') conditionFields(parseCondition(it.condition), set);
        if (typeof it.output === 'string') outputFields(it.output, set);
        for (const ex of (it.exceptions ?? []) as { fields?: string | string[] }[]) {
          for (const f of [ex.fields ?? []].flat()) set.add(f.replace(/\[.*$/, ''));
        }
      }
    }
  }
  return bySource;
}

const SYSCALL_FILES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml', 'falco-deprecated_rules.yaml',
  'application_rules.yaml', 'legacy-falco-0.34.1/falco_rules.yaml'];

test('every field of the official syscall rules resolves', { skip: rules.skip }, () => {
  const used = usedFields(SYSCALL_FILES.map((f) => join(rules.path, f)));
  const names = [...(used.get('syscall') ?? [])];
  const missing = names.filter((n) => !tables.get('syscall')!.lookup(n));
  console.log(`# syscall rule fields resolved: ${names.length - missing.length}/${names.length}`);
  assert.deepEqual(missing, []);
  assert.ok(names.length > 80);
});

test('every field of the official and overlay k8s_audit rules resolves', { skip: rules.skip || overlays.skip }, () => {
  const files = [join(rules.path, 'k8s_audit_rules.yaml'), join(rules.path, 'k8s_audit_rules_gke.yaml')];
  for (const f of ['allow_namespace_foo.yaml', 'allow_nginx_container.yaml', 'allow_only_apache_container.yaml', 'allow_user_some-user.yaml',
    'disallow_kactivity.yaml', 'engine_v4_k8s_audit_rules.yaml', 'single_rule_with_json_pointer.yaml', 'trust_nginx_container.yaml']) {
    files.push(join(overlays.path, f));
  }
  const names = [...(usedFields(files).get('k8s_audit') ?? [])];
  const missing = names.filter((n) => !tables.get('k8s_audit')!.lookup(n));
  console.log(`# k8s_audit rule fields resolved: ${names.length - missing.length}/${names.length}`);
  assert.deepEqual(missing, []);
  assert.ok(names.length > 30);
});

test('every real field of the libsinsp compiler vectors exists', { skip: vectors.skip }, () => {
  const v = JSON.parse(readFileSync(vectors.path, 'utf8')) as { compiles: { filter: string }[] };
  const names = new Set<string>();
  for (const c of v.compiles) {
    for (const m of c.filter.matchAll(/^([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)/g)) names.add(m[1]!);
  }
  const real = [...names].filter((n) => !n.startsWith('c.') && n !== 'unknown.field');
  const missing = real.filter((n) => !tables.get('syscall')!.lookup(n));
  assert.deepEqual(missing, []);
  assert.equal(tables.get('syscall')!.lookup('unknown.field'), undefined);
});
