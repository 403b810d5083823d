/**
 * Differential test against sysdig (Debian `sysdig`, `sysdig -r FILE -p "*%evt.num ..."`): per
 * event of every shared capture, Vigil's values of the fields below equal sysdig's. Reports
 * agreement per field; skips visibly when sysdig is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { needConformance } from './helpers.ts';
import { processEvent, readScap, syscallTable, SyscallState } from '../../src/sources/index.ts';

const REQUIRED = ['evt.type', 'evt.dir', 'proc.name', 'proc.pid', 'proc.cmdline', 'proc.exepath', 'fd.name', 'fd.type', 'user.name', 'container.id'];
// more fields the official rules use, compared the same way
const EXTRA = ['proc.ppid', 'proc.pname', 'proc.aname[1]', 'proc.vpid', 'thread.tid', 'thread.vtid', 'user.uid', 'fd.num', 'fd.l4proto', 'evt.res', 'evt.rawres', 'fd.filename', 'evt.is_open_read'];
const FIELDS = [...REQUIRED, ...EXTRA];
const SEP = '\t';

const conf = needConformance('falco', 'scap');
const probe = spawnSync('sysdig', ['--version'], { encoding: 'utf8' });
const noSysdig = probe.status !== 0 ? 'sysdig not installed (apt-get install sysdig): skipping the differential test' : false;
if (noSysdig) console.log(`# SKIP ${noSysdig}`);
const skip = conf.skip || noSysdig;

/** sysdig's rows by evt.num, or undefined when sysdig refuses the file. */
function sysdigRows(file: string): Map<string, string[]> | undefined {
  const fmt = '*%evt.num' + FIELDS.map((f) => `${SEP}%${f}`).join('');
  const r = spawnSync('sysdig', ['-r', file, '-p', fmt], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) return undefined;
  const rows = new Map<string, string[]>();
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const parts = line.split(SEP);
    rows.set(parts[0], parts.slice(1));
  }
  return rows;
}

/** Vigil's rows by evt.num, rendered as sysdig prints (<NA> for missing). */
async function vigilRows(file: string): Promise<Map<string, string[]>> {
  const table = syscallTable();
  const defs = FIELDS.map((f) => {
    const m = /^([^[]+)(?:\[(.*)\])?$/.exec(f)!;
    return { def: table.lookup(m[1])!.def, arg: m[2] };
  });
  const st = new SyscallState();
  const rows = new Map<string, string[]>();
  await readScap(file, {
    onMachineInfo: (m) => { st.machine = m; },
    onProcess: (p) => st.onProcess(p),
    onFds: (t, f) => st.onFds(t, f),
    onUser: (u) => st.onUser(u),
    onEvent(e) {
      const ev = processEvent(st, e);
      if (e.num === 0) return;
      rows.set(String(e.num), defs.map(({ def, arg }) => {
        const v = def.extract!(ev, arg);
        return v === undefined ? '<NA>' : String(v);
      }));
    },
  });
  return rows;
}

test('sysdig differential: per-field agreement on every shared capture', { skip }, async () => {
  const files = ['falco-0.34.1', 'libs'].flatMap((d) => readdirSync(join(conf.path, d)).map((f) => join(conf.path, d, f)));
  const agree = new Array<number>(FIELDS.length).fill(0);
  let compared = 0;
  let missing = 0;
  const refused: string[] = [];
  const examples: string[] = [];
  for (const f of files) {
    const theirs = sysdigRows(f);
    if (!theirs) {
      refused.push(f.split('/').pop()!);
      continue;
    }
    const ours = await vigilRows(f);
    for (const [num, row] of theirs) {
      const mine = ours.get(num);
      if (!mine) {
        missing++;
        continue;
      }
      compared++;
      FIELDS.forEach((name, i) => {
        if (mine[i] === row[i]) agree[i]++;
        else if (examples.length < 12) examples.push(`${f.split('/').pop()} #${num} ${name}: vigil=${mine[i]} sysdig=${row[i]}`);
      });
    }
  }
  console.log(`# sysdig differential: ${compared} events compared, ${missing} sysdig events without a Vigil event, refused by sysdig: ${refused.join(', ') || 'none'}`);
  FIELDS.forEach((name, i) => console.log(`#   ${name.padEnd(14)} ${agree[i]}/${compared} (${((100 * agree[i]) / compared).toFixed(2)}%)`));
  for (const x of examples) console.log(`#   differs: ${x}`);
  assert.ok(compared > 1000, 'enough events compared');
  assert.equal(missing, 0);
  // event identity must match exactly; state-derived fields within sysdig 0.29's own quirks
  for (const name of ['evt.dir', 'proc.pid']) assert.equal(agree[FIELDS.indexOf(name)], compared, name);
  FIELDS.forEach((name, i) => assert.ok(agree[i] / compared >= 0.97, `${name}: ${agree[i]}/${compared}`));
});
