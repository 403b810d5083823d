/**
 * One capture, two readers: the rows sysdig prints for chosen fields (`sysdig -r FILE -p`) and the
 * rows Vigil's extractors give for the same fields, both keyed by evt.num and rendered the way
 * sysdig prints (`<NA>` for a missing value). Used by the sysdig differential and the live-capture
 * interop suites.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { replayState, syscallTable } from '../../src/sources/index.ts';

const SEP = '\t';

/** Why sysdig cannot be used here (not installed), or false. */
export function sysdigProblem(): string | false {
  return spawnSync('sysdig', ['--version']).status !== 0 ? 'sysdig not installed (apt-get install sysdig)' : false;
}

/** sysdig's rows (field values in `fields` order) by evt.num, or undefined when sysdig refuses the file. */
export function sysdigRows(file: string, fields: string[]): Map<string, string[]> | undefined {
  const fmt = '*%evt.num' + fields.map((f) => `${SEP}%${f}`).join('');
  const r = spawnSync('sysdig', ['-r', file, '-p', fmt], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) return undefined;
  const rows = new Map<string, string[]>();
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const parts = line.split(SEP);
    rows.set(parts[0]!, parts.slice(1));
  }
  return rows;
}

/** Vigil's rows by evt.num for `fields` (a field may carry an argument: `proc.aname[1]`). */
export async function vigilRows(file: string, fields: string[]): Promise<Map<string, string[]>> {
  const table = syscallTable();
  const defs = fields.map((f) => {
    const m = /^([^[]+)(?:\[(.*)\])?$/.exec(f)!;
    const r = table.lookup(m[1]!);
    if (!r) throw new Error(`unknown field ${f}`);
    return { def: r.def, arg: m[2] ?? r.impliedArg };
  });
  const rows = new Map<string, string[]>();
  await replayState(file, (ev) => {
    rows.set(String(ev.e.num), defs.map(({ def, arg }) => {
      const v = def.extract!(ev, arg);
      return v === undefined || v === null ? '<NA>' : String(v);
    }));
  });
  return rows;
}
