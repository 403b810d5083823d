/**
 * `loadRules`: reader -> collector -> compiler over several files in order.
 * Like Falco, reading stops at the first error of a file, and a file with errors ends the load.
 * @module
 */
import { error, type Diagnostic } from '../../core/index.ts';
import { Collector } from '../collector/index.ts';
import { readRulesFile, semverCompatible, type ReadState } from '../reader/index.ts';
import {
  compileAll,
  toDiagnostic,
  unusedWarnings,
  type CompileOutput,
  type ParseCache,
} from './compile.ts';
import { isValidLhsField } from './fields.ts';
import { parseAppendOutput } from '../output/append.ts';
import type { LoadOptions, LoadResult, PluginInfo, RulesFile } from './types.ts';

/** The engine version Vigil reports: Falco 0.44's rules engine. */
export const ENGINE_VERSION = '0.62.0';

/**
 * Plugins Vigil provides natively: k8s audit (and the GKE variant, same `k8s_audit` fields),
 * the json extractor and the container metadata plugin. CloudTrail is not among them.
 */
export const BUILTIN_PLUGINS: PluginInfo[] = [
  { name: 'container', version: '0.4.0' },
  { name: 'json', version: '0.7.0' },
  { name: 'k8saudit', version: '0.18.0' },
  { name: 'k8saudit-gke', version: '0.9.0' },
];

/** Loads and compiles rules files in order. Never throws for bad input. */
export function loadRules(files: RulesFile[], opts: LoadOptions): LoadResult {
  const warnings: Diagnostic[] = [];
  const errors: Diagnostic[] = [];
  const appended = parseAppendOutput(opts.appendOutput);
  warnings.push(...appended.warnings);
  const copts = { ...opts, append: appended.entries };
  let schemaOk = true;
  const tables = opts.fieldTables;
  const col = new Collector(
    {
      engineVersion: opts.engineVersion ?? ENGINE_VERSION,
      hasSource: (s) => tables.has(s),
      isValidLhsField: (s, f) => {
        const t = tables.get(s);
        return t ? isValidLhsField(t, f) : false;
      },
    },
    warnings,
  );
  const cache: ParseCache = new Map();
  for (const [i, file] of files.entries()) {
    const state: ReadState = { warnings, errors, schemaOk: true };
    for (const item of readRulesFile(file.name, file.content, state, opts.maxFileBytes)) {
      try {
        col.add(item);
      } catch (e) {
        errors.push(toDiagnostic(e));
        break;
      }
    }
    schemaOk &&= state.schemaOk;
    if (errors.length) break;
    if (i < files.length - 1) {
      // Falco compiles after every file: what only a later file would fix is still an error
      try {
        compileAll(col, copts, [], cache, true);
      } catch (e) {
        errors.push(toDiagnostic(e));
        break;
      }
    }
  }
  let out: CompileOutput | undefined;
  // a bad append_output is a configuration error: the files are still checked, but nothing is
  // compiled with half of it
  errors.push(...appended.errors);
  if (!errors.length) {
    const pluginError = checkPlugins(col, opts.plugins ?? BUILTIN_PLUGINS);
    if (pluginError) errors.push(pluginError);
  }
  if (!errors.length) {
    try {
      out = compileAll(col, copts, warnings, cache);
      warnings.push(...unusedWarnings(col, out));
    } catch (e) {
      errors.push(toDiagnostic(e));
      out = undefined;
    }
  }
  const rules = out?.rules ?? [];
  return {
    ok: errors.length === 0,
    errors,
    warnings,
    counts: {
      rules: out ? rules.length : col.rules.size,
      macros: col.macros.size,
      lists: col.lists.size,
    },
    rules,
    lists: (out?.lists ?? []).map((l) => ({ ...l })),
    macros: [...col.macros].map((m) => ({
      name: m.name,
      condition: m.condition,
      used: out?.macros.get(m.name)?.used ?? false,
    })),
    schemaOk,
    requiredEngineVersion: col.requiredEngineVersion,
  };
}

/** Falco's plugin requirement check: one of the alternatives must be loaded and compatible. */
function checkPlugins(col: Collector, plugins: PluginInfo[]): Diagnostic | undefined {
  for (const req of col.pluginRequirements) {
    let err = '';
    let satisfied = false;
    outer: for (const alt of req.alternatives) {
      for (const p of plugins) {
        if (p.name !== alt.name) continue;
        if (!semverCompatible(p.version, alt.version)) {
          err = `Plugin '${p.name}' version '${p.version}' is not compatible with required plugin version '${alt.version}'`;
        } else satisfied = true;
        break outer;
      }
    }
    if (satisfied) continue;
    if (!err)
      err =
        'Plugin requirement not satisfied, must load one of: ' +
        req.alternatives.map((a) => `${a.name} (>= ${a.version})`).join(', ');
    return error('LOAD_ERR_VALIDATE', err, req.pos);
  }
  return undefined;
}
