/**
 * CVSS v3.x base score from a vector string (FIRST's specification formulas).
 * @module
 */

const W: Record<string, Record<string, number>> = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
};

// CVSS's "round up to one decimal", done in integers to avoid float drift (spec appendix A).
function roundUp(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

/** The base score of a `CVSS:3.x/AV:…` vector; undefined when the vector is not v3. */
export function cvssBaseScore(vector: string): number | undefined {
  if (!/^CVSS:3\.[01]\//.test(vector)) return undefined;
  const m: Record<string, string> = {};
  for (const part of vector.split('/').slice(1)) {
    const [k, v] = part.split(':');
    if (k && v) m[k] = v;
  }
  const scope = m.S;
  const pr = m.PR;
  const av = W.AV![m.AV!];
  const ac = W.AC![m.AC!];
  const ui = W.UI![m.UI!];
  const c = W.C![m.C!];
  const i = W.I![m.I!];
  const a = W.A![m.A!];
  if ([av, ac, ui, c, i, a].some((x) => x === undefined) || !pr || !scope) return undefined;
  const prW =
    pr === 'N'
      ? 0.85
      : pr === 'L'
        ? scope === 'C'
          ? 0.68
          : 0.62
        : pr === 'H'
          ? scope === 'C'
            ? 0.5
            : 0.27
          : undefined;
  if (prW === undefined) return undefined;
  const iss = 1 - (1 - c!) * (1 - i!) * (1 - a!);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  const exploit = 8.22 * av! * ac! * prW * ui!;
  if (impact <= 0) return 0;
  return scope === 'U'
    ? roundUp(Math.min(impact + exploit, 10))
    : roundUp(Math.min(1.08 * (impact + exploit), 10));
}
