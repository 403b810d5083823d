/**
 * kube-bench's benchmark definition model (controls -> groups -> checks -> tests) and its
 * loader, with Vigil's extensions (`applies_to` conditions for not-applicable results).
 * @module
 */
import { parse } from 'yaml';
import { VigilError } from '../../core/index.ts';

/** A comparison on a found value. */
export interface Compare {
  op: string;
  value: string;
}

/** One test item: where to look (flag, path, env), whether it must be set, and a comparison. */
export interface TestItem {
  flag?: string;
  path?: string;
  env?: string;
  /** Default true; false means "must not be present". */
  set: boolean;
  compare?: Compare;
}

/** The tests of a check, combined with `and` (default) or `or`. */
export interface Tests {
  binOp: string;
  items: TestItem[];
}

/** One benchmark check. */
export interface Check {
  id: string;
  text: string;
  /** '' (automated), manual or skip. */
  type: string;
  audit: string;
  auditConfig: string;
  auditEnv: string;
  tests?: Tests;
  remediation: string;
  scored: boolean;
  useMultipleValues: boolean;
  /** Vigil extension: a condition that must hold for the check to apply, else "not applicable". */
  appliesTo?: string;
}

/** A group of checks (e.g. `1.2 API Server`). */
export interface Group {
  id: string;
  text: string;
  type: string;
  checks: Check[];
}

/** One controls file (master, etcd, controlplane, node, policies). */
export interface Controls {
  id: string;
  version: string;
  text: string;
  type: string;
  groups: Group[];
  file?: string;
}

const str = (v: unknown): string =>
  v === undefined || v === null ? '' : typeof v === 'string' ? v : String(v);

function testItem(raw: unknown): TestItem {
  const o = (raw ?? {}) as Record<string, unknown>;
  const cmp = o.compare as Record<string, unknown> | undefined;
  return {
    flag: o.flag === undefined ? undefined : str(o.flag),
    path: o.path === undefined ? undefined : str(o.path),
    env: o.env === undefined ? undefined : str(o.env),
    set: o.set === undefined ? true : o.set === true || o.set === 'true',
    compare: cmp ? { op: str(cmp.op), value: str(cmp.value) } : undefined,
  };
}

function check(raw: unknown): Check {
  const o = (raw ?? {}) as Record<string, unknown>;
  const t = o.tests as Record<string, unknown> | undefined;
  return {
    id: str(o.id),
    text: str(o.text),
    type: str(o.type),
    audit: str(o.audit),
    auditConfig: str(o.audit_config),
    auditEnv: str(o.audit_env),
    tests: t
      ? {
          binOp: str(t.bin_op),
          items: Array.isArray(t.test_items) ? t.test_items.map(testItem) : [],
        }
      : undefined,
    remediation: str(o.remediation),
    scored: o.scored === true,
    useMultipleValues: o.use_multiple_values === true,
    appliesTo: o.applies_to === undefined ? undefined : str(o.applies_to),
  };
}

/**
 * Re-indents the continuation lines of double-quoted scalars that Go's YAML parser accepts
 * under-indented (kube-bench's cis-1.6-k3s has such text fields) but YAML 1.2 parsers reject.
 */
export function reindentQuotedContinuations(text: string): string {
  const lines = text.split('\n');
  let open: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (open === undefined) {
      const m = /^(\s*)(?:- )?[\w.-]+: "(.*)$/.exec(line);
      if (m && (m[2]!.replace(/\\./g, '').match(/"/g) ?? []).length % 2 === 0)
        open = m[1]!.length + 2;
      continue;
    }
    const indent = /^\s*/.exec(line)![0].length;
    if (line.trim() !== '' && indent < open) lines[i] = ' '.repeat(open) + line.trimStart();
    if ((line.replace(/\\./g, '').match(/"/g) ?? []).length % 2 === 1) open = undefined;
  }
  return lines.join('\n');
}

/** Parses one controls YAML file; structural problems are `BENCH_BAD_DEFINITION` errors. */
export function parseControls(text: string, file: string): Controls {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (e) {
    try {
      doc = parse(reindentQuotedContinuations(text), { maxAliasCount: 100 });
    } catch {
      throw new VigilError(
        'BENCH_BAD_DEFINITION',
        `cannot parse: ${(e as Error).message.split('\n')[0]}`,
        { file },
      );
    }
  }
  const o = doc as Record<string, unknown> | null;
  if (!o || typeof o !== 'object' || !Array.isArray(o.groups))
    throw new VigilError('BENCH_BAD_DEFINITION', 'expected a controls document with groups', {
      file,
    });
  const groups = o.groups.map((g, i): Group => {
    const go = (g ?? {}) as Record<string, unknown>;
    if (!Array.isArray(go.checks))
      throw new VigilError('BENCH_BAD_DEFINITION', `group ${i + 1} has no checks list`, {
        file,
        jsonPath: `$.groups[${i}]`,
      });
    return { id: str(go.id), text: str(go.text), type: str(go.type), checks: go.checks.map(check) };
  });
  return {
    id: str(o.id),
    version: str(o.version),
    text: str(o.text),
    type: str(o.type),
    groups,
    file,
  };
}
