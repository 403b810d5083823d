/**
 * Waivers: accepted risks per control and namespace/name pattern, with a reason and an
 * expiry. A waived failure is reported as accepted, never as passed.
 * @module
 */
import { parse } from 'yaml';
import { error, warning, type Diagnostic } from '../../core/index.ts';

/** One accepted risk. Patterns use `*` and `?`; an omitted pattern matches everything. */
export interface Waiver {
  /** Control id or pattern, e.g. `VP-001` or `VP-*`. */
  control: string;
  kind?: string;
  namespace?: string;
  name?: string;
  reason: string;
  /** ISO date (YYYY-MM-DD or full timestamp) after which the waiver no longer applies. */
  expires?: string;
}

/** Compiles a `*`/`?` glob into an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  const src = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${src}$`);
}

/** A waiver ready to match: patterns compiled once. */
export interface CompiledWaiver {
  waiver: Waiver;
  match(control: string, kind: string, namespace: string, name: string): boolean;
}

/** Compiles waivers, dropping expired ones (with a warning each) as of `now`. */
export function compileWaivers(
  waivers: Waiver[],
  now: Date,
  file?: string,
): { active: CompiledWaiver[]; diagnostics: Diagnostic[] } {
  const active: CompiledWaiver[] = [];
  const diagnostics: Diagnostic[] = [];
  waivers.forEach((w, i) => {
    if (w.expires !== undefined) {
      const t = Date.parse(w.expires.length === 10 ? `${w.expires}T23:59:59Z` : w.expires);
      if (Number.isNaN(t)) {
        diagnostics.push(
          error('WAIVER_BAD_EXPIRY', `waiver ${i + 1}: expires '${w.expires}' is not a date`, {
            file,
            jsonPath: `$.waivers[${i}].expires`,
          }),
        );
        return;
      }
      if (t < now.getTime()) {
        diagnostics.push(
          warning(
            'WAIVER_EXPIRED',
            `waiver ${i + 1} for ${w.control} expired on ${w.expires}; failures show again`,
            { file, jsonPath: `$.waivers[${i}]` },
          ),
        );
        return;
      }
    }
    const c = globToRegExp(w.control);
    const k = w.kind ? globToRegExp(w.kind) : undefined;
    const ns = w.namespace ? globToRegExp(w.namespace) : undefined;
    const n = w.name ? globToRegExp(w.name) : undefined;
    active.push({
      waiver: w,
      match: (control, kind, namespace, name) =>
        c.test(control) &&
        (!k || k.test(kind)) &&
        (!ns || ns.test(namespace)) &&
        (!n || n.test(name)),
    });
  });
  return { active, diagnostics };
}

/** Reads a waivers file (`waivers: [{control, namespace?, name?, kind?, reason, expires?}]`). */
export function parseWaivers(
  text: string,
  file: string,
): { waivers: Waiver[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (e) {
    return {
      waivers: [],
      diagnostics: [error('WAIVER_PARSE', (e as Error).message.split('\n')[0]!, { file })],
    };
  }
  const list = (doc as { waivers?: unknown } | null)?.waivers;
  if (!Array.isArray(list))
    return {
      waivers: [],
      diagnostics: [error('WAIVER_PARSE', 'expected a top-level waivers: list', { file })],
    };
  const waivers: Waiver[] = [];
  list.forEach((w, i) => {
    const o = (w ?? {}) as Record<string, unknown>;
    const str = (k: string) =>
      o[k] === undefined || o[k] === null
        ? undefined
        : String(o[k] instanceof Date ? (o[k] as Date).toISOString().slice(0, 10) : o[k]);
    const control = str('control');
    const reason = str('reason');
    if (!control || !reason) {
      diagnostics.push(
        error('WAIVER_INVALID', `waiver ${i + 1} needs control and reason`, {
          file,
          jsonPath: `$.waivers[${i}]`,
        }),
      );
      return;
    }
    waivers.push({
      control,
      reason,
      kind: str('kind'),
      namespace: str('namespace'),
      name: str('name'),
      expires: str('expires'),
    });
  });
  return { waivers, diagnostics };
}
